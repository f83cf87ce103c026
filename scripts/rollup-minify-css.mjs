/**
 * Rollup plugins for the script-tag build: minifiers of Lit's template literals that keep the
 * line structure, so the source maps still line up line by line (`map: null` keeps them).
 *
 * minifyCssLiterals: the CSS inside css`…` literals (comments out, whitespace
 * collapsed). Only the static text between `${…}` is touched, quoted strings are kept as they
 * are, and line breaks stay, so the source map still lines up line by line (`map: null` keeps
 * it). Whitespace stays where CSS needs it (descendant combinators, `a :hover`, calc() operators).
 */
// A literal with a nested template in one of its `${}` does not match and is left as it is.
const CSS_LITERAL = /\bcss`((?:[^`\\$]|\\.|\$(?!\{)|\$\{[^}`]*\})*)`/g;

/** Minifies one stretch of CSS text (no `${}` inside). */
export function minifyCss(text) {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const char = text[i];
    if (char === '"' || char === "'") {
      const end = text.indexOf(char, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const comment = end < 0 ? text.slice(i) : text.slice(i, end + 2);
      out += '\n'.repeat(comment.split('\n').length - 1);
      i += comment.length;
    } else if (/\s/.test(char)) {
      let j = i;
      while (j < text.length && /\s/.test(text[j])) j++;
      const run = text.slice(i, j);
      const before = out.replace(/\n+$/, '').at(-1) ?? '';
      const after = text[j] ?? '';
      const newlines = '\n'.repeat(run.split('\n').length - 1);
      const droppable = /[{};,:(>]/.test(before) || /[{};,)>!]/.test(after) || before === '' || after === '';
      out += droppable ? newlines : newlines || ' ';
      i = j;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

export function minifyCssLiterals() {
  return {
    name: 'leadwire-minify-css-literals',
    transform(code) {
      if (!code.includes('css`')) return null;
      const out = code.replace(CSS_LITERAL, (_whole, body) =>
        'css`' + body.split(/(\$\{[^}]*\})/).map((part, i) => (i % 2 ? part : minifyCss(part))).join('') + '`',
      );
      return out === code ? null : { code: out, map: null };
    },
  };
}

/**
 * Indentation out of the markup in html`…` / svg`…` literals: whitespace around a line break
 * becomes the line break alone. It renders the same (a line break is white space like the
 * indentation was, and collapses the same way); templates with <pre> or <textarea>, where white
 * space is content, are left alone. Only the static text of a template is touched (found with
 * Rollup's own parser, so nested templates and `${…}` expressions are handled exactly).
 */
export function minifyHtmlLiterals() {
  return {
    name: 'leadwire-minify-html-literals',
    transform(code) {
      if (!/\b(?:html|svg)`/.test(code)) return null;
      const edits = [];
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && (node.tag.name === 'html' || node.tag.name === 'svg')) {
          const quasis = node.quasi.quasis;
          if (!quasis.some((q) => /<(?:pre|textarea)\b/i.test(code.slice(q.start, q.end)))) {
            for (const q of quasis) edits.push([q.start, q.end, code.slice(q.start, q.end).replace(/[ \t]*\n[ \t]*/g, '\n')]);
          }
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach(visit);
          else if (value && typeof value === 'object') visit(value);
        }
      };
      visit(this.parse(code));
      if (edits.length === 0) return null;
      let out = '';
      let last = 0;
      for (const [start, end, text] of edits.sort((a, b) => a[0] - b[0])) {
        out += code.slice(last, start) + text;
        last = end;
      }
      out += code.slice(last);
      return out === code ? null : { code: out, map: null };
    },
  };
}
