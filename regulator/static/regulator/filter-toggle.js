// The MOJ filter layout's toggle on queues: on a narrow screen the filter panel starts hidden behind a
// "Show filter" button instead of covering the queue. MOJ Frontend's initAll does not start it, so this
// file does (a file, not an inline script, for the content security policy). Without JavaScript the
// panel simply sits above the table.
import { FilterToggleButton } from "/assets/moj-frontend.min.js";

// MOJ applies startHidden after its first responsive check, so it must be false on a wide screen.
const wide = window.matchMedia("(min-width: 48.0625em)").matches;

for (const root of document.querySelectorAll('[data-module="moj-filter"]')) {
  new FilterToggleButton(root, {
    startHidden: !wide,
    toggleButton: { showText: "Show filter", hideText: "Hide filter", classes: "govuk-button--secondary" },
    closeButton: { text: "Close" },
  });
}
