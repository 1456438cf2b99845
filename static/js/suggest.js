/* Suggestions under a search box as the tenant types (input[data-suggest], the URL of
 * /api/suggest): districts, towns, parks and buildings by characters, pinyin or initials.
 *
 * The box follows the WAI-ARIA combobox pattern: arrows move through the list, Enter opens the
 * chosen suggestion, Escape closes the list. Without this script the box is a plain keyword
 * search; with it, Enter with no suggestion chosen still submits the form.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;

  function attach(input, index) {
    var list = document.createElement("ul");
    list.id = "suggest-list-" + index;
    list.className = "suggest-list list-group shadow-sm";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(i) {
      if (active >= 0) {
        list.children[active].classList.remove("active");
        list.children[active].setAttribute("aria-selected", "false");
      }
      active = i;
      if (i >= 0) {
        var option = list.children[i];
        option.classList.add("active");
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      items = found;
      list.textContent = "";
      active = -1;
      if (!found.length) {
        close();
        return;
      }
      found.forEach(function (s, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.className = "list-group-item list-group-item-action d-flex justify-content-between";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = s.name;
        var kind = document.createElement("small");
        kind.className = "text-body-secondary ms-2";
        kind.textContent = s.within ? s.kind_name + " · " + s.within : s.kind_name;
        option.appendChild(name);
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box until the page changes
          window.location.assign(s.url);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var typed = input.value.trim();
      var mine = ++asked;
      if (!typed) {
        show([]);
        return;
      }
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (mine === asked) {
            show(body.suggestions);
          }
        })
        .catch(function () {
          if (mine === asked) {
            show([]);
          }
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        choose((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        choose(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].url);
      } else if (event.key === "Escape") {
        event.preventDefault(); // a search box would clear itself: close the list only
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  if (!window.fetch) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), attach);
})();
