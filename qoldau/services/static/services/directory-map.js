// The directory's map: the places where the services a search finds are given. The list
// of services (linked before the map) is the same search for screen-reader and keyboard
// users. The base layer is the access map's: the PMTiles file Qoldau serves itself (drawn
// by protomaps-leaflet), else a tile server, else none.
(() => {
  "use strict";
  const configElement = document.getElementById("services-map-config");
  const box = document.getElementById("services-map");
  if (!configElement || !box || !window.L) return;
  const config = JSON.parse(configElement.textContent);
  const text = config.text;
  const statusLine = document.getElementById("map-status");
  const say = (message) => { if (statusLine) statusLine.textContent = message; };
  const format = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  const escape = (value) =>
    String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  const map = L.map(box, { minZoom: 4, maxZoom: 19, zoomControl: false });
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
  if (config.pmtilesUrl && window.protomapsL) {
    protomapsL
      .leafletLayer({ url: config.pmtilesUrl, flavor: "light", lang: config.language, maxDataZoom: config.pmtilesMaxZoom })
      .addTo(map);
  } else if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  map.setView([48.0, 67.0], 5); // Kazakhstan

  say(text.loading);
  fetch(config.dataUrl, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then((data) => {
      const points = data.points || [];
      if (!points.length) {
        say(text.none);
        return;
      }
      const bounds = [];
      for (const point of points) {
        const marker = L.marker([point.lat, point.lon], { title: point.name, alt: point.name, keyboard: true });
        const link = config.providerUrl.replace("00000000-0000-0000-0000-000000000000", point.provider);
        marker.bindPopup(
          `<strong>${escape(point.name)}</strong><br>${escape(point.address)}<br><a href="${escape(link)}">${escape(text.provider)}</a>`
        );
        marker.addTo(map);
        bounds.push([point.lat, point.lon]);
      }
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
      say(format(text.shown, { count: points.length }));
    })
    .catch(() => say(text.failed));
})();
