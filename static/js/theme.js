// Follow the device's light or dark setting, unless the person chose one in
// their settings (then the page already says which, in data-bs-theme).
(() => {
  const root = document.documentElement;
  if (root.hasAttribute("data-bs-theme")) return;
  const dark = window.matchMedia("(prefers-color-scheme: dark)");
  const follow = () => root.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
  follow();
  dark.addEventListener("change", follow);
})();
