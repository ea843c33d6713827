// While a publishable PDF is being built, shows how far it has got (from its status URL) and
// reloads the page when it is done or has failed. Without JavaScript the page has a link to
// refresh it.
export function watchBundles(root = document) {
  for (const box of root.querySelectorAll("[data-bundle-status]")) {
    const url = box.getAttribute("data-bundle-status");
    const percent = box.querySelector("[data-bundle-percent]");
    const step = box.querySelector("[data-bundle-step]");
    const label = box.querySelector("[data-bundle-label]");
    const bar = box.querySelector("progress");
    const poll = async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) {
          const status = await response.json();
          if (status.finished) {
            window.location.reload();
            return;
          }
          percent.textContent = status.progress;
          step.textContent = status.step;
          label.textContent = status.label;
          bar.value = status.progress;
          bar.textContent = `${status.progress}%`;
        }
      } catch (error) {
        // A dropped connection: try again at the next tick.
      }
      window.setTimeout(poll, 1000);
    };
    window.setTimeout(poll, 1000);
  }
}
