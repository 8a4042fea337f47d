// The GOV.UK timeout warning: a dialog a few minutes before a signed-in session ends for inactivity,
// with "Stay signed in" (a POST that moves the server's idle clock on) and "Sign out". Without
// JavaScript the session simply ends at the idle limit (the server and the cookie both enforce it).
(function () {
  var dialog = document.getElementById('app-timeout-warning')
  if (!dialog || typeof dialog.showModal !== 'function') { return }
  var idle = parseInt(dialog.getAttribute('data-idle-seconds'), 10) * 1000
  var warn = parseInt(dialog.getAttribute('data-warning-seconds'), 10) * 1000
  var keepAlive = dialog.getAttribute('data-keep-alive-url')
  var timedOut = dialog.getAttribute('data-timed-out-url')
  var countdown = dialog.querySelector('[data-countdown]')
  var warnTimer, endTimer, tick

  function minutesLeft (ms) {
    var minutes = Math.max(1, Math.ceil(ms / 60000))
    return minutes + (minutes === 1 ? ' minute' : ' minutes')
  }

  function schedule () {
    clearTimeout(warnTimer); clearTimeout(endTimer); clearInterval(tick)
    var endsAt = Date.now() + idle
    warnTimer = setTimeout(function () {
      countdown.textContent = minutesLeft(endsAt - Date.now())
      tick = setInterval(function () { countdown.textContent = minutesLeft(endsAt - Date.now()) }, 15000)
      dialog.showModal()
    }, Math.max(0, idle - warn))
    endTimer = setTimeout(function () { window.location.href = timedOut }, idle)
  }

  dialog.querySelector('[data-stay-signed-in]').addEventListener('click', function (event) {
    event.preventDefault()
    var token = dialog.querySelector('input[name=csrfmiddlewaretoken]').value
    fetch(keepAlive, { method: 'POST', headers: { 'X-CSRFToken': token }, credentials: 'same-origin' })
      .then(function (response) {
        if (response.ok) { dialog.close(); schedule() } else { window.location.href = timedOut }
      })
  })
  dialog.addEventListener('cancel', function (event) { event.preventDefault() })
  schedule()
})()
