from prevention.models.activities import ActivityLog, ActivityTotal, Attachment
from prevention.models.assessments import Assessment, PerceptionSurvey, RiskFactor, SurveyResult
from prevention.models.funding import FundingLine, Spending
from prevention.models.indicators import Indicator, Measurement
from prevention.models.meetings import Meeting, MeetingDecision
from prevention.models.places import Hotspot, Risk, SafetyContact
from prevention.models.plans import (
    ActionPlan,
    Initiative,
    InitiativePartner,
    Milestone,
    PlanPriority,
    PriorityIssue,
    ProgressUpdate,
)
from prevention.models.statistics import CrimeStatistic
from prevention.models.territory import Country, District, Region

__all__ = [
    "ActionPlan",
    "ActivityLog",
    "ActivityTotal",
    "Assessment",
    "Attachment",
    "Country",
    "CrimeStatistic",
    "District",
    "FundingLine",
    "Hotspot",
    "Indicator",
    "Initiative",
    "InitiativePartner",
    "Measurement",
    "Meeting",
    "MeetingDecision",
    "Milestone",
    "PerceptionSurvey",
    "PlanPriority",
    "PriorityIssue",
    "ProgressUpdate",
    "Region",
    "Risk",
    "RiskFactor",
    "SafetyContact",
    "Spending",
    "SurveyResult",
]
