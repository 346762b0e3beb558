/* The sign-in form sends the browser's IANA time zone; the first sign-in adopts it. */
(function () {
  "use strict";
  var field = document.querySelector('input[name="time_zone"]');
  try {
    if (field) { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; }
  } catch (e) { /* no Intl: the account stays in UTC */ }
}());
