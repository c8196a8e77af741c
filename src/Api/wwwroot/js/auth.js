// Signing in to a service that has API keys: the key is asked for only when the API answers 401, kept in this
// tab's sessionStorage (gone when the tab closes, never sent to another origin), and sent as X-Api-Key on every
// API call and as the hub's access_token (browsers cannot set headers on a WebSocket).

const STORAGE_KEY = 'backprop.apiKey';
const $ = selector => document.querySelector(selector);

export const apiKey = () => sessionStorage.getItem(STORAGE_KEY) || '';

// Whether this page's key was refused: several calls answer 401 at once, and only the first still sees the key.
let refused = false;

// Called by api.js on a 401: a stored key was refused (forget it), or none was given yet. Either way, ask.
export function signInNeeded() {
  const form = $('#sign-in');
  if (!form) return;
  if (apiKey() !== '') refused = true;
  sessionStorage.removeItem(STORAGE_KEY);
  $('#sign-in-message').textContent = refused
    ? 'That API key was not accepted. Enter another one.'
    : 'This service needs an API key.';
  form.hidden = false;
  $('#sign-out').hidden = true;
  $('#api-key').focus();
}

// Reloading starts the page over with the key in place: the job list, the hub and the form all use it at once.
function signIn(event) {
  event.preventDefault();
  const key = $('#api-key').value.trim();
  if (!key) return;
  sessionStorage.setItem(STORAGE_KEY, key);
  location.reload();
}

function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
  location.reload();
}

$('#sign-in')?.addEventListener('submit', signIn);
$('#sign-out')?.addEventListener('click', signOut);
if ($('#sign-out')) $('#sign-out').hidden = apiKey() === '';
