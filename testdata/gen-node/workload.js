'use strict';
// cprof's Node.js profile generator: a small real workload profiled with
// @datadog/pprof. `node workload.js KIND OUT` writes gzip'd profile.proto:
// wall (wall and CPU time, labels phase and batch), lines (wall time by
// line; V8 allows no labels then), heap (live objects). Run by
// make-profiles; see testdata/README.md.

const fs = require('fs');
const path = require('path');
const pprof = require('@datadog/pprof');
const text = require('./textutil');
// One-line code whose declared source map does not exist: @datadog/pprof's
// columnNumbers 'emit' then writes each of its frames' column (Line.column).
const bundle = require('./bundle/min');

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function sieve(limit) {
  const composite = new Uint8Array(limit + 1);
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) {
      continue;
    }
    count++;
    for (let j = i * i; j <= limit; j += i) {
      composite[j] = 1;
    }
  }
  return count;
}

class Matrix {
  constructor(n, seed) {
    const next = text.makeRng(seed);
    this.n = n;
    this.cells = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) {
      this.cells[i] = (next() % 1000) / 100;
    }
  }

  multiply(other) {
    const n = this.n;
    const out = new Matrix(n, 0);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const a = this.cells[i * n + k];
        for (let j = 0; j < n; j++) {
          out.cells[i * n + j] += a * other.cells[k * n + j];
        }
      }
    }
    return out;
  }
}

function countWords(tokens) {
  const counts = new Map();
  for (const t of tokens) {
    counts.set(t, (counts.get(t) || 0) + 1);
  }
  // An anonymous comparator: V8 gives it no name.
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function checksum(values) {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum = (sum * 31 + Math.floor(values[i])) % 1000000007;
  }
  return sum;
}

// Runs fn with the profiler's labels set to phase and batch, until at least
// ms milliseconds of wall time have passed.
function runPhase(phase, batch, ms, fn) {
  pprof.time.setContext({ phase, batch });
  const end = Date.now() + ms;
  let result = 0;
  do {
    result = (result + fn()) >>> 0;
  } while (Date.now() < end);
  pprof.time.setContext({});
  return result;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function wallWorkload() {
  const corpus = text.generateText(20000, 42);
  let acc = 0;
  for (let batch = 1; batch <= 2; batch++) {
    acc += runPhase('text', batch, 150, () => text.checksum(text.tokenize(corpus)));
    acc += runPhase('count', batch, 120, () => countWords(text.tokenize(corpus)).length);
    acc += runPhase('math', batch, 150, function () {
      return fib(24) + sieve(200000);
    });
    acc += runPhase('bundle', batch, 60, () => bundle.scan(corpus));
    acc += runPhase('matrix', batch, 120, () => {
      const m = new Matrix(60, batch);
      return checksum(m.multiply(m).cells);
    });
    // Waiting, not computing: wall time passes with little CPU time.
    pprof.time.setContext({ phase: 'wait', batch });
    await sleep(60);
    pprof.time.setContext({});
  }
  return acc;
}

// Allocation workload for the heap profile: some of what it builds stays
// live (kept), the rest becomes garbage.
const kept = [];

function buildIndex(tokens) {
  const index = new Map();
  for (let i = 0; i < tokens.length; i++) {
    let list = index.get(tokens[i]);
    if (list === undefined) {
      list = [];
      index.set(tokens[i], list);
    }
    list.push(i);
  }
  return index;
}

function makeRecord(i, word) {
  return { id: i, word, upper: word.toUpperCase(), tags: [word.length, i % 7] };
}

function makeRecords(tokens) {
  return tokens.map((w, i) => makeRecord(i, w));
}

function allocBlocks(n, size) {
  const blocks = [];
  for (let i = 0; i < n; i++) {
    blocks.push(new Array(size).fill(i));
  }
  return blocks;
}

function heapWorkload() {
  const corpus = text.generateText(30000, 7);
  const tokens = text.tokenize(corpus);
  kept.push(buildIndex(tokens));
  for (let round = 0; round < 4; round++) {
    const records = makeRecords(tokens);
    if (round % 2 === 0) {
      kept.push(records.filter((r) => r.id % 3 === 0));
    }
  }
  kept.push(allocBlocks(64, 2048));
  allocBlocks(64, 2048);
}

async function main() {
  const [kind, out] = process.argv.slice(2);
  let buf;
  if (kind === 'wall') {
    pprof.time.start({
      intervalMicros: 1000,
      withContexts: true,
      collectCpuTime: true,
      sourceMapper: await pprof.SourceMapper.create([path.join(__dirname, 'bundle')]),
      columnNumbers: 'emit',
    });
    await wallWorkload();
    buf = await pprof.encode(pprof.time.stop());
  } else if (kind === 'lines') {
    pprof.time.start({ intervalMicros: 1000, lineNumbers: true });
    await wallWorkload();
    buf = await pprof.encode(pprof.time.stop());
  } else if (kind === 'heap') {
    pprof.heap.start(16 * 1024, 64);
    heapWorkload();
    if (global.gc) {
      global.gc();
    }
    buf = await pprof.encode(pprof.heap.profile());
    pprof.heap.stop();
  } else {
    console.error('usage: node workload.js wall|lines|heap OUT');
    process.exit(2);
  }
  fs.writeFileSync(out, buf);
}

main();
