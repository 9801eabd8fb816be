'use strict';
// Text helpers for workload.js: a fixed-seed word generator, tokenizing,
// hashing. A second file, so profiles name two sources and two functions
// called checksum.

// Fixed-seed LCG, so every run generates the same text.
function makeRng(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

function generateText(words, seed) {
  const next = makeRng(seed);
  const parts = [];
  for (let i = 0; i < words; i++) {
    const len = 2 + (next() % 9);
    let w = '';
    for (let j = 0; j < len; j++) {
      w += String.fromCharCode(97 + (next() % 26));
    }
    parts.push(w);
  }
  return parts.join(' ');
}

function isSpace(c) {
  return c === 32 || c === 10 || c === 9;
}

function tokenize(text) {
  const tokens = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (start >= 0) {
        tokens.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) {
    tokens.push(text.slice(start));
  }
  return tokens;
}

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function checksum(tokens) {
  let sum = 0;
  for (const t of tokens) {
    sum = (sum + fnv1a(t)) >>> 0;
  }
  return sum;
}

module.exports = { makeRng, generateText, tokenize, fnv1a, checksum };
