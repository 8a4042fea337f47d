// Start GOV.UK Frontend and MOJ Frontend components (loaded as files, so the CSP can refuse every inline script).
import { initAll } from '/assets/govuk-frontend.min.js'

initAll()
if (window.MOJFrontend) { window.MOJFrontend.initAll() }
