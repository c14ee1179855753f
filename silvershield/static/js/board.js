/* The wall board's map (ECharts with the Chifeng division map, served locally) and the big screen's
   self-refresh. No framework: the pages work without this file, the map is the only thing it draws. */
(function () {
  "use strict";
  var geoPromise = null;

  function loadGeo(url) {
    if (!geoPromise) {
      geoPromise = fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (geo) { window.echarts.registerMap("chifeng", geo); return geo; });
    }
    return geoPromise;
  }

  function drawMap(box) {
    if (!box || !window.echarts) return;
    var dark = box.classList.contains("dark");
    var measure = box.dataset.measure || "open";
    Promise.all([
      loadGeo(box.dataset.geojson),
      fetch(box.dataset.source + "?measure=" + encodeURIComponent(measure), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
    ]).then(function (results) {
      var data = results[1];
      var chart = window.echarts.getInstanceByDom(box) || window.echarts.init(box, null, { renderer: "canvas" });
      var items = data.divisions.map(function (d) {
        return {
          name: d.name, code: d.code, value: d.value === null ? "-" : d.value,
          itemStyle: d.reachable ? undefined : { areaColor: dark ? "#333b48" : "#e4e7ec" }
        };
      });
      chart.setOption({
        tooltip: { trigger: "item", formatter: function (p) {
          return p.name + "<br>" + data.label + "：" + (p.value === "-" || isNaN(p.value) ? "—" : p.value);
        } },
        visualMap: {
          min: 0, max: Math.max(1, data.max), left: 10, bottom: 10, calculable: false,
          text: [String(Math.max(1, data.max)), "0"],
          textStyle: { color: dark ? "#e6edf5" : "#4a5666", fontSize: dark ? 16 : 12 },
          inRange: { color: dark ? ["#1b3554", "#8a3b2e", "#e5483a"] : (measure === "open" ? ["#e7eef7", "#5b8fc7", "#17467a"] : ["#fdf1d6", "#f0a04b", "#b42318"]) }
        },
        series: [{
          id: "divisions", name: data.label, type: "map", map: "chifeng", roam: false, selectedMode: false,
          label: { show: true, fontSize: dark ? 16 : 11, color: dark ? "#fff" : "#1d2733" },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffd666" } },
          itemStyle: { borderColor: dark ? "#0b1220" : "#fff", borderWidth: 1 },
          data: items
        }]
      }, true);
      box.dataset.divisions = String(items.length);
      box.dataset.ready = "1";
      chart.off("click");
      chart.on("click", function (p) {
        if (!p.data || !p.data.code || !box.dataset.board) return;
        var params = new URLSearchParams(box.dataset.query || "");
        params.set("division", p.data.code);
        window.location.href = box.dataset.board + "?" + params.toString();
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function init(root) {
    var box = (root || document).querySelector("#board-map, #screen-map");
    if (!box) return;
    var select = document.getElementById("map-measure");
    if (select && !select.dataset.bound) {
      select.dataset.bound = "1";
      select.addEventListener("change", function () {
        var current = document.querySelector("#board-map");
        current.dataset.measure = select.value;
        drawMap(current);
      });
    }
    drawMap(box);
  }

  function refreshScreen() {
    var body = document.getElementById("screen-body");
    if (!body) return;
    var seconds = parseInt(body.dataset.refresh || "60", 10);
    setInterval(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#screen-body");
          var old = document.getElementById("screen-body");
          if (fresh && old) {
            var mapBox = old.querySelector("#screen-map");
            var freshMap = fresh.querySelector("#screen-map");
            if (mapBox && freshMap) { freshMap.replaceWith(mapBox); }  // keep the drawn map, refresh its data
            old.replaceWith(fresh);
            drawMap(document.getElementById("screen-map"));
          }
        })
        .catch(function () { /* the next tick tries again; the TV keeps what it shows */ });
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); refreshScreen(); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target.ownerDocument); });
})();
