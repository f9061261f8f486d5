/* worldorder report: draws every figure of the page with the inlined plotly.js.
   plotly.js is inlined gzip-compressed and base64-encoded (<script id="wo-plotly">): it is
   unpacked with the browser's DecompressionStream and run before anything is drawn.
   Nothing is fetched: the country shapes come from the page itself, and plotly's own base
   map (which it would download) is replaced by an empty stand-in. When every figure is drawn,
   <body data-rendered="N"> is set; on an error, <body data-error="..."> (tests read both). */
(function () {
  "use strict";
  var body = document.body;
  function fail(message) {
    body.setAttribute("data-error", String(message));
    console.error("worldorder report: " + message);
  }
  window.addEventListener("error", function (e) { fail(e.message || "script error"); });
  window.addEventListener("unhandledrejection", function (e) {
    fail((e.reason && e.reason.message) || e.reason || "promise rejected");
  });
  function unpackPlotly() {
    var packed = document.getElementById("wo-plotly");
    if (typeof Plotly !== "undefined" || !packed) { return Promise.resolve(); }
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot unpack the page's plotly.js " +
        "(DecompressionStream: Chrome/Edge 80+, Firefox 113+, Safari 16.4+)"));
    }
    var text = atob(packed.textContent.trim());
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (code) {
      var script = document.createElement("script");
      script.textContent = code;
      document.head.appendChild(script);
    });
  }
  unpackPlotly().then(draw, function (e) { fail((e && e.message) || e); });

  function draw() {
  if (typeof Plotly === "undefined") { fail("plotly.js is missing"); return; }
  var assets = JSON.parse(document.getElementById("wo-assets").textContent);
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
  window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
  Object.keys(assets.topojson).forEach(function (k) {
    window.PlotlyGeoAssets.topojson[k] = assets.topojson[k];
  });
  Object.keys(assets.geojson).forEach(function (k) {
    window.PlotlyGeoAssets[k] = assets.geojson[k];
  });
  var config = {
    displaylogo: false, responsive: true, scrollZoom: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
    toImageButtonOptions: {format: "png", scale: 2}
  };
  if (body.hasAttribute("data-static")) {  /* a page made for a PNG: no toolbar, no hover */
    config = {staticPlot: true, displayModeBar: false};
  }
  var divs = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  Promise.all(divs.map(function (div) {
    var spec = JSON.parse(document.getElementById(div.getAttribute("data-figure")).textContent);
    return Plotly.newPlot(div, {data: spec.data, layout: spec.layout,
                                frames: spec.frames || [], config: config});
  })).then(function () {
    body.setAttribute("data-rendered", String(divs.length));
  }, function (e) { fail((e && e.message) || e); });
  }
})();
