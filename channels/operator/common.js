  var boot = JSON.parse(document.getElementById("boot").textContent);
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function api(path, body) {
    var options = { method: body === undefined ? "GET" : "POST", credentials: "same-origin", headers: { "X-Haven-CSRF": boot.csrf } };
    if (body !== undefined) { options.headers["content-type"] = "application/json"; options.body = JSON.stringify(body); }
    return fetch(path, options).then(function (response) {
      if (response.status === 401) { location.href = "/operator/login?next=" + encodeURIComponent(location.pathname + location.search); throw new Error("logged out"); }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { var detail = data && data.detail; throw new Error(typeof detail === "string" ? detail : (detail ? JSON.stringify(detail) : "error " + response.status)); }
        return data;
      });
    });
  }
  function reviewBadge(state) {
    if (state === "unreviewed") return el("span", { "class": "badge warn", text: "unreviewed translation", title: "machine or draft translation, not yet checked by a native speaker" });
    if (state === "missing") return el("span", { "class": "badge warn", text: "not translated: English shown" });
    return el("span", { "class": "badge ok", text: "reviewed" });
  }
  function remember(key, value) { try { localStorage.setItem("haven-op-" + key, value); } catch (e) {} }
  function recall(key, fallback) { try { return localStorage.getItem("haven-op-" + key) || fallback; } catch (e) { return fallback; } }
  function fillSelect(select, items, selected, first) {
    clear(select);
    if (first) select.appendChild(el("option", { value: first[0], text: first[1] }));
    items.forEach(function (item) { select.appendChild(el("option", { value: item[0], text: item[1], selected: item[0] === selected })); });
    if (selected !== undefined) select.value = selected;
  }
  var logoutButton = $("logout");
  if (logoutButton) logoutButton.addEventListener("click", function () {
    api("/operator/logout", {}).catch(function () {}).then(function () { location.href = "/operator/login"; });
  });
