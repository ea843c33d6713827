// Starts GOV.UK Frontend's components (error summary focus, service navigation menu, ...) and
// our own: the progress of a publishable PDF being built, and the timeout warning.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { watchBundles } from "./bundle-progress.mjs";
import { watchTimeout } from "./timeout-warning.mjs";

initAll();
watchBundles();
watchTimeout();
