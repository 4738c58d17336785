// The Menu button of the top bar on narrow screens: shows or hides the navigation.
const bar = document.querySelector(".topbar");
const toggle = bar && bar.querySelector(".navtoggle");
if (toggle) {
  toggle.addEventListener("click", () => {
    const open = bar.classList.toggle("is-open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}
