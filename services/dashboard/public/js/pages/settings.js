import { ApiError, describeError, get, put } from '../api.js';
import { h, replace } from '../dom.js';
import { time } from '../format.js';

// The halt is the header's control (it also cancels orders through the trading service).
const NOT_EDITED_HERE = new Set(['trading_halted']);

function label(key) {
  return key.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());
}

function inputFor(s) {
  const id = `set-${s.key}`;
  if (typeof s.value === 'boolean') {
    return { kind: 'boolean', el: h('input', { id, name: s.key, type: 'checkbox', checked: s.value }) };
  }
  if (typeof s.value === 'number') {
    return {
      kind: 'number',
      el: h('input', {
        id,
        name: s.key,
        type: 'text',
        inputmode: 'decimal',
        value: String(s.value),
        autocomplete: 'off',
      }),
    };
  }
  return {
    kind: 'json',
    el: h(
      'textarea',
      {
        id,
        name: s.key,
        rows: Math.min(14, JSON.stringify(s.value, null, 2).split('\n').length + 1),
        spellcheck: 'false',
      },
      JSON.stringify(s.value, null, 2),
    ),
  };
}

export default {
  title: 'Settings',
  async render(main) {
    const form = h('form.settings', { id: 'settings-form', novalidate: true, 'aria-describedby': 'settings-help' });
    const message = h('div', { id: 'settings-message', role: 'status', 'aria-live': 'polite' });
    replace(
      main,
      h('div.page-head', h('h1', 'Settings')),
      h(
        'p.muted',
        { id: 'settings-help' },
        'Trading parameters, validated together and applied without a restart. Every change is recorded with your name.',
      ),
      message,
      form,
    );

    let fields = [];

    const showMessage = (text, kind, problems = []) => {
      replace(
        message,
        h(
          `div.flash.${kind}`,
          { role: kind === 'error' ? 'alert' : 'status' },
          h('p', text),
          problems.length
            ? h(
                'ul',
                problems.map((p) => h('li', p)),
              )
            : null,
        ),
      );
    };

    const draw = (items) => {
      fields = items
        .filter((s) => !NOT_EDITED_HERE.has(s.key))
        .map((s) => ({ setting: s, ...inputFor(s), error: h('p.field-error', { id: `err-${s.key}`, hidden: true }) }));
      replace(
        form,
        fields.map((f) =>
          h(
            `div.field.${f.kind}`,
            { dataset: { key: f.setting.key } },
            h('label', { for: f.el.id }, label(f.setting.key)),
            f.el,
            f.setting.description ? h('p.muted.small', f.setting.description) : null,
            h('p.muted.small.audit', `Changed ${time(f.setting.updatedAt)} by ${f.setting.updatedBy}`),
            f.error,
          ),
        ),
        h(
          'div.actions',
          h('button.primary', { type: 'submit', id: 'settings-save' }, 'Save changes'),
          h('button.ghost', { type: 'button', id: 'settings-reset' }, 'Undo edits'),
        ),
      );
      for (const f of fields) f.el.setAttribute('aria-describedby', f.error.id);
      form.querySelector('#settings-reset').addEventListener('click', () => draw(items));
    };

    const fieldError = (key, text) => {
      const f = fields.find((x) => x.setting.key === key);
      if (!f) return false;
      f.error.textContent = text;
      f.error.hidden = false;
      f.el.setAttribute('aria-invalid', 'true');
      return true;
    };

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      for (const f of fields) {
        f.error.hidden = true;
        f.el.removeAttribute('aria-invalid');
      }
      const patch = {};
      const problems = [];
      for (const f of fields) {
        const key = f.setting.key;
        let value;
        if (f.kind === 'boolean') value = f.el.checked;
        else if (f.kind === 'number') {
          const raw = f.el.value.trim();
          value = raw === '' ? NaN : Number(raw);
          if (!Number.isFinite(value)) {
            problems.push(`${label(key)}: must be a number`);
            fieldError(key, 'must be a number');
            continue;
          }
        } else {
          try {
            value = JSON.parse(f.el.value);
          } catch {
            problems.push(`${label(key)}: is not valid JSON`);
            fieldError(key, 'is not valid JSON');
            continue;
          }
        }
        if (JSON.stringify(value) !== JSON.stringify(f.setting.value)) patch[key] = value;
      }
      if (problems.length) {
        showMessage('Not saved: fix the fields marked below. Nothing was changed.', 'error', problems);
        return;
      }
      if (!Object.keys(patch).length) {
        showMessage('Nothing to save: no value was changed.', 'info');
        return;
      }
      const save = form.querySelector('#settings-save');
      save.disabled = true;
      try {
        const r = await put('/api/settings', patch);
        draw(r.items);
        showMessage(
          r.changed.length ? `Saved: ${r.changed.map(label).join(', ')}.` : 'Saved (the values were already in place).',
          'info',
        );
      } catch (err) {
        if (err instanceof ApiError && err.code === 'invalid_input' && Array.isArray(err.details)) {
          const lines = err.details.map((d) => {
            const path = String(d.path ?? '').replace(/^body\.?/, '');
            const key = path.split('.')[0];
            fieldError(key, `${path === key ? '' : `${path.slice(key.length + 1)}: `}${d.message}`);
            return `${label(key || 'value')}${path !== key ? ` (${path})` : ''}: ${d.message}`;
          });
          showMessage('Not saved: the values below are not valid. Nothing was changed.', 'error', lines);
        } else {
          showMessage(`Not saved: ${describeError(err)}`, 'error');
        }
      } finally {
        if (save.isConnected) save.disabled = false;
      }
    });

    draw((await get('/api/settings')).items);
  },
};
