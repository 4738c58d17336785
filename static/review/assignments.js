// The assignment page's "select every article on this page" box.
const all = document.getElementById("all-articles");
all?.addEventListener("change", () => {
  document.querySelectorAll('input[name="articles"]').forEach((box) => {
    box.checked = all.checked;
  });
});
