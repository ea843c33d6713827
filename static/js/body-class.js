// Runs first in <body>: lets GOV.UK Frontend's CSS know JavaScript is available.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
