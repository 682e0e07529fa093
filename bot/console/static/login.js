"use strict";
// Login: posts the form as JSON; the server sets the session cookie (HttpOnly).
document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("login-error");
  error.hidden = true;
  const body = {
    name: document.getElementById("login-name").value,
    password: document.getElementById("login-password").value,
  };
  const reply = await fetch("/staff/api/login", {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  if (reply.ok) {
    window.location.assign("/staff/#/entries");
    return;
  }
  const data = await reply.json().catch(() => ({}));
  error.textContent = data.error || "Login failed.";
  error.hidden = false;
  document.getElementById("login-password").focus();
});
