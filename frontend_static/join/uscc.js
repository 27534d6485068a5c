// 统一社会信用代码 (GB 32100-2015) checked on the phone for a quick message; the server
// (backend/enterprises/uscc.py) is the authority and says the same things.

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k += 1) w = (w * 3) % 31;
  return w;
});

export function normalizeUscc(text) {
  return String(text || "").replace(/\s+/g, "").toUpperCase();
}

/** null when the code is well formed, else {key, params} of the message to show. */
export function usccProblem(text) {
  const code = normalizeUscc(text);
  if (code.length !== 18) return { key: "uscc.length", params: { n: code.length } };
  const bad = [...new Set([...code].filter((ch) => !ALPHABET.includes(ch)))];
  if (bad.length) return { key: "uscc.chars", params: { chars: bad.sort().join("、") } };
  const total = [...code.slice(0, 17)].reduce((sum, ch, i) => sum + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  if (ALPHABET[(31 - (total % 31)) % 31] !== code[17]) return { key: "uscc.check", params: {} };
  return null;
}
