// Saves the text fields of the online form as a draft while the citizen types
// (files are kept when the form is posted). Without JavaScript the "Lưu nháp"
// button does the same.
(function () {
  var form = document.getElementById("submit-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      data.append(el.name, el.value);
    });
    fetch(form.dataset.autosave, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (r) {
        if (status) status.textContent = r.ok ? "Đã tự động lưu nháp" : (r.status === 401 ? "Phiên đăng nhập đã hết hạn — bấm Lưu nháp để giữ thông tin" : "");
      }).catch(function () {});
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 1500); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 500); });
})();
