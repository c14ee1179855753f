/* The monitoring figures' charts (ECharts, served locally). Clicking a bar opens the ads behind it.
   The tables under the charts carry the same numbers as links, so the page works without this file. */
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) return;
    var data = JSON.parse(document.getElementById("ads-chart-data").textContent);
    var labels = JSON.parse(document.getElementById("ads-chart-labels").textContent);
    document.querySelectorAll(".ads-chart").forEach(function (box) {
      var d = data[box.dataset.chart];
      if (!d || !d.labels.length) { box.style.display = "none"; return; }
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      var advertisers = box.dataset.chart === "advertisers";
      var series = advertisers
        ? [{ name: labels.findings, type: "bar", data: d.findings, itemStyle: { color: "#b42318" } }]
        : [
            { name: labels.ads, type: box.dataset.chart === "month" ? "line" : "bar", data: d.ads, itemStyle: { color: "#1f4e79" } },
            { name: labels.flagged, type: box.dataset.chart === "month" ? "line" : "bar", data: d.flagged, itemStyle: { color: "#d9822b" } }
          ];
      var category = { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: d.labels.length > 6 && !advertisers ? 30 : 0 } };
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: advertisers ? 180 : 40, right: 20, top: 30, bottom: 50, containLabel: false },
        xAxis: advertisers ? { type: "value" } : category,
        yAxis: advertisers ? Object.assign({ inverse: true }, category, { axisLabel: { interval: 0, width: 170, overflow: "truncate" } }) : { type: "value" },
        series: series
      });
      chart.on("click", function (p) {
        var params = new URLSearchParams(box.dataset.query || "");
        params.set(d.param, d.keys[p.dataIndex]);
        if (advertisers || p.seriesIndex === 1) params.set("flagged", "1");
        window.location.href = box.dataset.list + "?" + params.toString();
      });
      box.dataset.ready = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
