// The public map: every object the filters select, clustered in the browser by
// supercluster so that a city's tens of thousands of objects stay smooth. Each object is
// a sign whose shape and letter say its status (never colour alone); the list view is the
// same data for screen-reader and keyboard users, linked before the map. The base layer is
// the PMTiles file Qoldau serves itself (drawn by protomaps-leaflet), else a tile server,
// else none: the objects and clusters still show on a plain background.
(() => {
  "use strict";
  const configElement = document.getElementById("access-map-config");
  const box = document.getElementById("access-map");
  if (!configElement || !box || !window.L || !window.Supercluster) return;
  const config = JSON.parse(configElement.textContent);
  const statusLine = document.getElementById("map-status");
  const text = config.text;

  const format = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  const escape = (value) =>
    String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  // Grouped as the server groups the page's numbers (Django's formats of the language).
  const separator = typeof config.thousandSeparator === "string" ? config.thousandSeparator : "\u202f";
  const numberFormat = {
    format: (value) => String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, separator),
  };
  const say = (message) => { if (statusLine) statusLine.textContent = message; };

  const map = L.map(box, { minZoom: 4, maxZoom: 19, zoomSnap: 0.5, zoomControl: false });
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
  if (config.pmtilesUrl && window.protomapsL) {
    // The light flavour: pale land, white roads, dark labels, so the status signs stand out.
    // maxDataZoom: the file's own deepest zoom, drawn larger beyond it (an extract cut
    // with --maxzoom has no deeper tiles to ask for).
    protomapsL
      .leafletLayer({
        url: config.pmtilesUrl,
        flavor: "light",
        lang: config.language,
        maxDataZoom: config.pmtilesMaxZoom,
      })
      .addTo(map);
  } else if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  if (config.bounds) {
    map.fitBounds(config.bounds, { padding: [30, 30], maxZoom: 16 });
  } else {
    map.setView([48.0, 67.0], 5); // Kazakhstan
  }
  const layer = L.layerGroup().addTo(map);
  let index = null;
  let request = 0;

  function signIcon(status) {
    const sign = config.statuses[status] || config.statuses.unknown;
    return L.divIcon({
      className: "map-sign",
      html: `<span class="status-sign status-${escape(sign.value)}" aria-hidden="true">${escape(sign.symbol)}</span>`,
      iconSize: [26, 26],
    });
  }

  // A cluster shows its full count, and its name begins with that same text (WCAG 2.5.3):
  // "4 352" is named "4 352 objects here…", never "4.4k".
  function clusterIcon(count, label) {
    const size = count < 100 ? 34 : count < 1000 ? 42 : count < 10000 ? 52 : 62;
    return L.divIcon({
      className: "map-cluster",
      html: `<span role="img" aria-label="${escape(label)}">${escape(numberFormat.format(count))}</span>`,
      iconSize: [size, size],
    });
  }

  // The data comes in columns (see map.py, objects_compact); row i is one object.
  let data = null;

  function popup(i) {
    const sign = config.statuses[data.status[i]] || config.statuses.unknown;
    const url = config.objectUrl.replace("/0/", `/${data.id[i]}/`);
    return `<div class="map-popup"><h3>${escape(data.name[i])}</h3>
      <p>${escape(text.address)}: ${escape(data.address[i])}</p>
      <p>${escape(text.kind)}: ${escape(config.kinds[data.kind[i]] || data.kind[i])}</p>
      <p>${escape(text.status)}: <span class="status-sign status-${escape(sign.value)}" aria-hidden="true">${escape(sign.symbol)}</span> ${escape(sign.label)}</p>
      <p><a href="${url}">${escape(text.details)}</a></p></div>`;
  }

  // A marker is a button to screen readers: Enter and Space work as a click does.
  function labelled(marker, label) {
    marker.on("add", () => {
      const element = marker.getElement();
      element.setAttribute("aria-label", label);
      element.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          marker.fire("click");
        }
      });
    });
    return marker;
  }

  function draw() {
    if (!index) return;
    const b = map.getBounds();
    const items = index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], Math.floor(map.getZoom()));
    layer.clearLayers();
    let clusters = 0;
    for (const item of items) {
      const [lon, lat] = item.geometry.coordinates;
      if (item.properties.cluster) {
        clusters += 1;
        const count = item.properties.point_count;
        const label = format(text.cluster, { count: numberFormat.format(count) });
        // Not a tab stop: a city has dozens of clusters, and the list linked before the
        // map is the keyboard's way to the same places. The keyboard zooms the map itself.
        const marker = L.marker([lat, lon], { icon: clusterIcon(count, label), title: label, keyboard: false });
        marker.on("click", () => {
          map.setView([lat, lon], Math.min(index.getClusterExpansionZoom(item.properties.cluster_id), 19));
        });
        layer.addLayer(marker);
      } else {
        const i = item.properties.i;
        const sign = config.statuses[data.status[i]] || config.statuses.unknown;
        const label = `${data.name[i]}: ${sign.label}`;
        const marker = L.marker([lat, lon], { icon: signIcon(data.status[i]), title: label, keyboard: true });
        labelled(marker, label);
        marker.bindPopup(() => popup(i));
        layer.addLayer(marker);
      }
    }
    box.dataset.clusters = String(clusters);
    box.dataset.markers = String(items.length - clusters);
    box.dataset.state = "ready";
    performance.mark("access-map:drawn");
  }

  async function load(category) {
    const mine = ++request;
    box.dataset.state = "loading";
    say(text.loading);
    const url = new URL(config.dataUrl, window.location.href);
    url.searchParams.set("category", category);
    try {
      const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error(String(response.status));
      const loaded = await response.json();
      if (mine !== request) return; // a later choice is already on its way
      performance.mark("access-map:parsed");
      const count = loaded.id.length;
      const points = new Array(count);
      for (let i = 0; i < count; i++) {
        points[i] = { properties: { i }, geometry: { type: "Point", coordinates: [loaded.lon[i] / 1e6, loaded.lat[i] / 1e6] } };
      }
      // Beyond zoom 16 every object is shown as itself.
      index = new Supercluster({ radius: 80, maxZoom: 16 }).load(points);
      performance.mark("access-map:indexed");
      data = loaded;
      box.dataset.category = category;
      box.dataset.objects = String(count);
      draw();
      say(count ? format(text.shown, { count: numberFormat.format(count) }) : text.none);
    } catch (error) {
      if (mine !== request) return;
      box.dataset.state = "failed";
      say(text.failed);
    }
  }

  map.on("moveend", draw);

  // Choosing another category redraws the map in place (no reload, no change of page),
  // and the list link and the address follow, so that the choice is kept.
  const heading = document.getElementById("map-title");
  const listLinks = document.querySelectorAll("a[data-list-link]");
  for (const radio of document.querySelectorAll('#map-filters input[name="category"]')) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      const category = radio.value;
      if (heading) heading.textContent = format(config.headingTemplate, { category: config.categories[category] });
      for (const link of listLinks) {
        const target = new URL(link.href, window.location.href);
        target.searchParams.set("category", category);
        link.href = target.pathname + target.search;
      }
      const here = new URL(window.location.href);
      here.searchParams.set("category", category);
      window.history.replaceState(null, "", here.pathname + here.search);
      load(category);
    });
  }

  load(config.category);
})();
