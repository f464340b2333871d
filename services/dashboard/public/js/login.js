import { describeError, request } from './api.js';

const form = document.getElementById('login-form');
const message = document.getElementById('login-message');
const submit = document.getElementById('login-submit');

function show(text, kind = 'error') {
  message.textContent = text;
  message.className = `flash ${kind}`;
  message.hidden = false;
}

const params = new URLSearchParams(location.search);
if (params.get('reason') === 'expired') show('Your session has ended. Log in again.', 'info');
if (params.get('reason') === 'logout') show('You are logged out.', 'info');

/** Only a same-origin path, never another site. */
function nextPath() {
  const next = params.get('next') || '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    show('Enter your user name and password.');
    return;
  }
  submit.disabled = true;
  try {
    await request('POST', '/api/login', { username, password });
    location.assign(nextPath());
  } catch (err) {
    show(describeError(err));
    form.password.value = '';
    form.password.focus();
  } finally {
    submit.disabled = false;
  }
});
