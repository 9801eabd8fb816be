// A "minified bundle" whose source map is missing (see workload.js): its frames carry columns.
'use strict';function h(t,n){let e=n;for(let o=0;o<t.length;o++)e=(Math.imul(e,33)+t.charCodeAt(o))>>>0;return e}function s(t){let n=5381;for(let e=0;e<t.length;e+=64)n=h(t.slice(e,e+64),n);return n}module.exports={scan:s};
//# sourceMappingURL=min.js.map
