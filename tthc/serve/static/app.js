// tthc serve: a little help on top of server-rendered pages (everything works without it).
"use strict";
(function () {
  // Progress while reports are read: poll, then show the finished desk.
  var box = document.getElementById("tien-do");
  if (box && box.dataset.running) {
    var done = document.getElementById("da-doc");
    var total = document.getElementById("tong-so");
    var bar = box.querySelector("progress");
    var poll = function () {
      fetch("/tien-do", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (p) {
          done.textContent = p.done;
          total.textContent = p.total || "…";
          if (bar) { bar.max = p.total || 1; bar.value = p.done; }
          if (p.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }

  // Drop files anywhere on the upload box: they are sent at once.
  var form = document.getElementById("tai-len");
  if (form) {
    var input = form.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (e) { e.preventDefault(); form.classList.add("over"); });
    });
    form.addEventListener("dragleave", function () { form.classList.remove("over"); });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      form.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        form.submit();
      }
    });
  }

  // The passage read: scrolled into view, and the panel takes the keyboard focus.
  var panel = document.getElementById("noi-doc");
  var mark = document.getElementById("doan");
  if (mark) { mark.scrollIntoView({ block: "center" }); }
  if (panel && window.location.hash === "#noi-doc") { panel.focus({ preventScroll: !!mark }); }
  var error = document.getElementById("loi");
  if (error) { error.setAttribute("tabindex", "-1"); error.focus(); }
})();
