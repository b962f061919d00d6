// Pairing page script. Every state-changing request carries the CSRF token
// from /api/csrf in the X-CSRF-Token header (see server/security.go).
"use strict";

let csrf = "";

async function api(method, path) {
  if (!csrf) {
    const r = await fetch("/api/csrf", { credentials: "same-origin" });
    csrf = (await r.json()).token;
  }
  const r = await fetch(path, { method, credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
  if (!r.ok) {
    let msg = r.statusText;
    try { msg = (await r.json()).error; } catch (_) { /* keep statusText */ }
    throw new Error(msg);
  }
  return r.status === 204 ? null : r.json();
}

function showError(e) { document.getElementById("error").textContent = e ? String(e.message || e) : ""; }

async function newCode() {
  try {
    const { code, expires } = await api("POST", "/api/pairing-codes");
    document.getElementById("code").textContent = code;
    document.getElementById("expires").textContent = "Expires at " + new Date(expires).toLocaleTimeString();
    showError(null);
  } catch (e) { showError(e); }
}

async function loadClients() {
  const ul = document.getElementById("clients");
  try {
    const { clients } = await api("GET", "/api/clients");
    ul.replaceChildren();
    if (!clients.length) {
      const li = document.createElement("li");
      li.textContent = "None yet.";
      ul.append(li);
    }
    for (const c of clients) {
      const li = document.createElement("li");
      li.textContent = c.name + " (" + c.origin + "), paired " + new Date(c.created).toLocaleString();
      const b = document.createElement("button");
      b.textContent = "Unpair";
      b.addEventListener("click", async () => {
        try { await api("DELETE", "/api/clients/" + encodeURIComponent(c.id)); loadClients(); } catch (e) { showError(e); }
      });
      li.append(b);
      ul.append(li);
    }
  } catch (e) { showError(e); }
}

document.getElementById("new-code").addEventListener("click", newCode);
loadClients();
