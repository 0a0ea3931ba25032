"""English dates as they read in Kyrgyzstan and most of the world: day, month, year ("7 Mar 2019"),
never the United States' 03/07/2019, which a reader in Bishkek takes for the 3rd of July; times on a
24-hour clock. Numbers and input formats stay Django's English ones (a date field takes ISO dates)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
