/* 显示电话: the agent card's form (#phone-form) posted with fetch, the number shown in place.
 *
 * Without this script the form posts as usual and the server draws the page again with the
 * number. The phone's bottom bar submits the same form with its 电话 button: once the number is
 * known that button dials it (tel:). The CSRF token sits outside the form (form="phone-form"),
 * so FormData(form) carries it.
 */
(function () {
  "use strict";

  var form = document.getElementById("phone-form");
  if (!form || !window.fetch) {
    return;
  }
  var card = document.querySelector("[data-phone]");
  var numberEl = card && card.querySelector("[data-phone-number]");
  var button = form.querySelector("[data-phone-button]");

  function showError(message) {
    var note = card.querySelector(".phone-error");
    if (!note) {
      note = document.createElement("div");
      note.className = "phone-error small text-danger";
      card.appendChild(note);
    }
    note.textContent = message;
  }

  function show(mobile, dial) {
    var link = document.createElement("a");
    link.className = "fw-bold";
    link.href = "tel:" + mobile;
    link.textContent = mobile;
    link.setAttribute("data-phone-number", "");
    numberEl.replaceWith(link);
    form.remove();
    document.querySelectorAll("[data-phone-call]").forEach(function (old) {
      var call = document.createElement("a");
      call.className = old.className;
      call.href = "tel:" + mobile;
      call.textContent = old.textContent;
      call.setAttribute("data-phone-call", "");
      old.replaceWith(call);
    });
    if (dial) {
      window.location.href = "tel:" + mobile;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var dial = !!(event.submitter && event.submitter.hasAttribute("data-phone-call"));
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 429) {
          throw new Error("操作过于频繁，请稍后再试。");
        }
        return response.json().then(function (data) {
          if (!response.ok || !data.mobile) {
            throw new Error(data.error || "暂时无法显示电话，请稍后再试。");
          }
          return data;
        });
      })
      .then(function (data) {
        show(data.mobile, dial);
      })
      .catch(function (error) {
        if (button) {
          button.disabled = false;
        }
        showError(error.message || "暂时无法显示电话，请稍后再试。");
      });
  });
})();
