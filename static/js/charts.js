// Safer Districts: charts drawn with Chart.js from data the page passes through json_script.
// No inline script (Content-Security-Policy): a canvas names its data, this file draws it.
"use strict";

// Series (dashboards, district and indicator pages): <canvas data-chart="series" data-chart-source="ID"> where
// ID is a json_script element holding {labels: [...], datasets: [{label, data: [...]}], yLabel}. A missing
// value (null) leaves a gap bridged by the line, since a year without figures is unknown, not zero. A dataset
// may also carry `counts` (the registered cases behind each rate, shown in the tooltip with `countLabel`),
// `emphasis` (a thicker line, e.g. the total) and `dashed` (a reference line such as a baseline or target).
(() => {
  function drawSeries(canvas) {
    const source = document.getElementById(canvas.dataset.chartSource || "");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.datasets.map((dataset) => ({
          label: dataset.label,
          data: dataset.data,
          counts: dataset.counts,
          spanGaps: true,
          tension: 0.2,
          borderWidth: dataset.emphasis ? 3 : 1.5,
          borderDash: dataset.dashed ? [6, 4] : [],
          pointRadius: dataset.dashed ? 0 : 3,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: data.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label(context) {
                const value = context.parsed.y === null ? "–" : numberFormat.format(context.parsed.y);
                let text = `${context.dataset.label}: ${value}`;
                const counts = context.dataset.counts;
                if (counts && counts[context.dataIndex] !== null && counts[context.dataIndex] !== undefined) {
                  text += ` (${numberFormat.format(counts[context.dataIndex])} ${data.countLabel || ""})`;
                }
                return text;
              },
            },
          },
        },
        scales: {
          y: {
            beginAtZero: data.beginAtZero !== false,
            title: { display: Boolean(data.yLabel), text: data.yLabel },
          },
        },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart='series']").forEach(drawSeries);
})();
