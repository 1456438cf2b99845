/* The building form's pin map: shows the point the address gives, lets the agent set a pin.
 *
 * Needs the self-hosted Leaflet (templates/partials/map_assets.html). Writes WGS-84 into the
 * hidden inputs #lat and #lon; #pin = "1" when the agent placed the pin (the pin then wins over
 * the geocoder on the server). On GCJ-02 tiles (高德) points are shifted for display only.
 */
(function () {
  "use strict";

  var el = document.getElementById("pin-map");
  if (!el || !window.L) {
    return;
  }
  var latInput = document.getElementById("lat");
  var lonInput = document.getElementById("lon");
  var pinInput = document.getElementById("pin");
  var address = document.getElementById("address");
  var statusEl = document.getElementById("pin-status");
  var coordsEl = document.getElementById("pin-coords");
  var resetButton = document.getElementById("pin-reset");
  var gcj = el.dataset.gcj02 === "1";
  var PRECISION = {
    address: "门牌", street: "道路", park: "园区", town: "镇街", district: "区县", city: "城市"
  };
  var ZOOM = { address: 16, street: 15, park: 14, town: 13, district: 11, city: 10 };

  // WGS-84 -> GCJ-02, the published formula; the inverse by a few fixed-point steps.
  var A = 6378245.0;
  var EE = 0.00669342162296594323;
  function tLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return r;
  }
  function tLon(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return r;
  }
  function wgsToGcj(lat, lon) {
    var dLat = tLat(lon - 105.0, lat - 35.0);
    var dLon = tLon(lon - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * Math.PI;
    var magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return [lat + dLat, lon + dLon];
  }
  function gcjToWgs(lat, lon) {
    var w = [lat, lon];
    for (var i = 0; i < 6; i++) {
      var g = wgsToGcj(w[0], w[1]);
      w = [w[0] - (g[0] - lat), w[1] - (g[1] - lon)];
    }
    return w;
  }
  function toMap(lat, lon) {
    return gcj ? wgsToGcj(lat, lon) : [lat, lon];
  }
  function fromMap(latlng) {
    return gcj ? gcjToWgs(latlng.lat, latlng.lng) : [latlng.lat, latlng.lng];
  }

  var map = L.map(el, { scrollWheelZoom: false }).setView(toMap(29.7121, 120.2371), 10);
  L.tileLayer(el.dataset.tiles, {
    attribution: el.dataset.attr,
    subdomains: el.dataset.subdomains || "abc",
    maxZoom: 18
  }).addTo(map);

  var marker = null;

  function write(lat, lon) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    coordsEl.textContent = lat.toFixed(5) + ", " + lon.toFixed(5);
  }

  function setPin(ll) {
    write(ll[0], ll[1]);
    pinInput.value = "1";
    statusEl.textContent = "已手动设定位置，保存时以图钉为准。";
  }

  function show(lat, lon, zoom, keepView) {
    var p = toMap(lat, lon);
    if (marker === null) {
      marker = L.marker(p, { draggable: true, title: "楼盘位置（可拖动）", keyboard: true });
      marker.addTo(map);
      marker.on("dragend", function () {
        setPin(fromMap(marker.getLatLng()));
      });
    } else {
      marker.setLatLng(p);
    }
    if (!keepView) {
      map.setView(p, zoom || Math.max(map.getZoom(), 14));
    }
  }

  map.on("click", function (event) {
    var ll = fromMap(event.latlng);
    show(ll[0], ll[1], map.getZoom(), true);
    setPin(ll);
  });

  function geocode(force) {
    var query = address.value.trim();
    if (!query || (pinInput.value === "1" && !force)) {
      return;
    }
    statusEl.textContent = "正在按地址定位…";
    fetch(el.dataset.geocodeUrl + "?address=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          statusEl.textContent = "暂时无法自动定位，请在地图上点选位置。";
          return;
        }
        if (!data.found) {
          statusEl.textContent = data.message;
          return;
        }
        if (pinInput.value === "1" && !force) {
          return;
        }
        pinInput.value = "";
        write(data.lat, data.lon);
        show(data.lat, data.lon, ZOOM[data.precision] || 13);
        el.dataset.town = data.town || "";
        statusEl.textContent = "已按地址定位：" + data.label + "（精度：" +
          (PRECISION[data.precision] || data.precision) + "）" +
          (data.town && data.town !== data.label ? " · " + data.town : "") +
          (data.park && data.park !== data.label ? " · " + data.park : "") +
          "。可点击地图或拖动图钉微调。";
      })
      .catch(function () {
        statusEl.textContent = "暂时无法自动定位，请在地图上点选位置。";
      });
  }

  address.addEventListener("change", function () {
    geocode(false);
  });
  resetButton.addEventListener("click", function () {
    pinInput.value = "";
    geocode(true);
  });

  var lat0 = parseFloat(el.dataset.lat);
  var lon0 = parseFloat(el.dataset.lon);
  if (isFinite(lat0) && isFinite(lon0)) {
    show(lat0, lon0, 14);
  } else if (address.value.trim()) {
    geocode(false);
  }
})();
