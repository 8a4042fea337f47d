// GOV.UK Frontend's "js-enabled" classes, set before the page is drawn (a file, not inline: the CSP allows no inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
