/** Runs before paint: applies the saved theme, or the system's, so the page never flashes. */
export const themeScript = `(function(){try{var t=localStorage.getItem("inflight-theme");var d=t?t==="dark":matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;
