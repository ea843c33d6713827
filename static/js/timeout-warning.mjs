// The GOV.UK timeout warning (templates/includes/timeout_warning.html): a modal dialog shown
// `data-warning-seconds` before the idle limit of `data-idle-seconds` after the page loaded.
// "Stay signed in" posts to the keep-alive page (any request moves the limit on) and starts the
// count again; at the limit the page goes to sign-in, coming back here afterwards.
export function watchTimeout(dialog = document.getElementById("timeout-warning")) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  const announce = dialog.querySelector("[data-announce]");
  let deadline, warnTimer, tick;

  const words = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const signedOut = () => {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`${dialog.dataset.signedOut}?next=${next}`);
  };

  const show = () => {
    dialog.showModal();
    dialog.querySelector("[data-stay]").focus();
    let spoken = 0;
    tick = window.setInterval(() => {
      const left = deadline - Date.now();
      if (left <= 0) {
        window.clearInterval(tick);
        signedOut();
        return;
      }
      countdown.textContent = words(left);
      // Said aloud every 20 seconds, not every second.
      if (Date.now() - spoken >= 20000) {
        spoken = Date.now();
        announce.textContent = `You will be signed out in ${words(left)}.`;
      }
    }, 1000);
  };

  const start = () => {
    deadline = Date.now() + idle;
    countdown.textContent = words(warning);
    warnTimer = window.setTimeout(show, Math.max(0, idle - warning));
  };

  const stay = async () => {
    window.clearInterval(tick);
    window.clearTimeout(warnTimer);
    const form = dialog.querySelector("form");
    const response = await fetch(dialog.dataset.keepAlive, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    if (!response.ok) {
      signedOut();
      return;
    }
    dialog.close();
    start();
  };

  dialog.querySelector("[data-stay]").addEventListener("click", stay);
  // Escape is "stay signed in", as closing the warning means carrying on.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  start();
}
