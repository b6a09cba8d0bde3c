/**
 * Maximum-weight matching in general graphs: Edmonds' blossom method with the primal-dual weight
 * updates, in the O(n³) formulation of Galil, "Efficient algorithms for finding maximum matching
 * in graphs" (ACM Computing Surveys 18(1), 1986), following the data layout of Joris van
 * Rantwijk's reference implementation (2008). Internal to oracle.
 *
 * Matchmaking needs this rather than a sorted-order DP: once each player has their own allowance,
 * optimal pairs can nest or cross in rating order, so adjacent pairing is not optimal.
 *
 * Weights must be integers below 2⁵⁰ in magnitude: every dual then stays an exact integer (duals
 * are stored doubled), so ties are decided exactly and the result does not depend on rounding.
 */

/** An undirected edge `[u, v, weight]` between distinct vertices. */
export type WeightedEdge = readonly [number, number, number];

/**
 * Returns `mate`, where `mate[v]` is v's partner or −1. With `maxCardinality`, only matchings of
 * maximum cardinality are considered and the heaviest of those is returned.
 */
export function maxWeightMatching(vertexCount: number, edges: readonly WeightedEdge[], maxCardinality: boolean): Int32Array {
  const n = vertexCount;
  const result = new Int32Array(n).fill(-1);
  if (edges.length === 0 || n < 2) return result;

  const edgeCount = edges.length;
  let maxWeight = 0;
  for (const [, , w] of edges) maxWeight = Math.max(maxWeight, w);

  // Endpoint p of edge p>>1 is vertex endpoint[p]; p^1 is the other end.
  const endpoint = new Int32Array(2 * edgeCount);
  const neighbourEnds: number[][] = Array.from({ length: n }, () => []);
  edges.forEach(([u, v], k) => {
    endpoint[2 * k] = u;
    endpoint[2 * k + 1] = v;
    neighbourEnds[u]!.push(2 * k + 1);
    neighbourEnds[v]!.push(2 * k);
  });

  // mate[v]: remote endpoint of v's matched edge, or −1.
  const mate = new Int32Array(n).fill(-1);
  // Labels of top-level blossoms: 0 free, 1 S, 2 T (5 = S with a scan breadcrumb).
  const label = new Int32Array(2 * n);
  const labelEnd = new Int32Array(2 * n).fill(-1);
  const inBlossom = Int32Array.from({ length: n }, (_, i) => i);
  const parent = new Int32Array(2 * n).fill(-1);
  const children: (number[] | null)[] = new Array(2 * n).fill(null);
  const base = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? i : -1));
  // endps[b][i]: local endpoint of children[b][i] on the edge to children[b][i+1].
  const endps: (number[] | null)[] = new Array(2 * n).fill(null);
  const bestEdge = new Int32Array(2 * n).fill(-1);
  const blossomBestEdges: (number[] | null)[] = new Array(2 * n).fill(null);
  const unused: number[] = [];
  for (let b = n; b < 2 * n; b++) unused.push(b);
  // Vertex duals are stored doubled, blossom duals as is: all stay integral for integer weights.
  const dual = new Float64Array(2 * n);
  for (let v = 0; v < n; v++) dual[v] = maxWeight;
  const allowEdge = new Uint8Array(edgeCount);
  let queue: number[] = [];

  const weight = (k: number): number => edges[k]![2];
  const slack = (k: number): number => dual[endpoint[2 * k]!]! + dual[endpoint[2 * k + 1]!]! - 2 * weight(k);

  const leaves = (b: number, out: number[] = []): number[] => {
    if (b < n) out.push(b);
    else for (const t of children[b]!) leaves(t, out);
    return out;
  };

  const assignLabel = (w: number, t: number, p: number): void => {
    const b = inBlossom[w]!;
    label[w] = label[b] = t;
    labelEnd[w] = labelEnd[b] = p;
    bestEdge[w] = bestEdge[b] = -1;
    if (t === 1) {
      queue.push(...leaves(b));
    } else {
      // A T-blossom's base is matched; its mate becomes S.
      const m = mate[base[b]!]!;
      assignLabel(endpoint[m]!, 1, m ^ 1);
    }
  };

  // Walks back from two S-vertices; returns the base of a new blossom, or −1 for an augmenting path.
  const scanBlossom = (vStart: number, wStart: number): number => {
    const path: number[] = [];
    let found = -1;
    let v = vStart;
    let w = wStart;
    while (v !== -1 || w !== -1) {
      let b = inBlossom[v]!;
      if (label[b]! & 4) {
        found = base[b]!;
        break;
      }
      path.push(b);
      label[b] = 5;
      if (labelEnd[b] === -1) {
        v = -1;
      } else {
        v = endpoint[labelEnd[b]!]!;
        b = inBlossom[v]!;
        v = endpoint[labelEnd[b]!]!;
      }
      if (w !== -1) [v, w] = [w, v];
    }
    for (const b of path) label[b] = 1;
    return found;
  };

  const addBlossom = (baseVertex: number, k: number): void => {
    let v = endpoint[2 * k]!;
    let w = endpoint[2 * k + 1]!;
    const bb = inBlossom[baseVertex]!;
    let bv = inBlossom[v]!;
    let bw = inBlossom[w]!;
    const b = unused.pop()!;
    base[b] = baseVertex;
    parent[b] = -1;
    parent[bb] = b;
    const path: number[] = [];
    const ends: number[] = [];
    while (bv !== bb) {
      parent[bv] = b;
      path.push(bv);
      ends.push(labelEnd[bv]!);
      v = endpoint[labelEnd[bv]!]!;
      bv = inBlossom[v]!;
    }
    path.push(bb);
    path.reverse();
    ends.reverse();
    ends.push(2 * k);
    while (bw !== bb) {
      parent[bw] = b;
      path.push(bw);
      ends.push(labelEnd[bw]! ^ 1);
      w = endpoint[labelEnd[bw]!]!;
      bw = inBlossom[w]!;
    }
    children[b] = path;
    endps[b] = ends;
    label[b] = 1;
    labelEnd[b] = labelEnd[bb]!;
    dual[b] = 0;
    for (const leaf of leaves(b)) {
      if (label[inBlossom[leaf]!] === 2) queue.push(leaf);
      inBlossom[leaf] = b;
    }
    // Least-slack edge from the new blossom to each neighbouring S-blossom.
    const bestTo = new Int32Array(2 * n).fill(-1);
    for (const sub of path) {
      const lists = blossomBestEdges[sub] ? [blossomBestEdges[sub]!] : leaves(sub).map((x) => neighbourEnds[x]!.map((p) => p >> 1));
      for (const list of lists) {
        for (const e of list) {
          let j = endpoint[2 * e + 1]!;
          if (inBlossom[j] === b) j = endpoint[2 * e]!;
          const bj = inBlossom[j]!;
          if (bj !== b && label[bj] === 1 && (bestTo[bj] === -1 || slack(e) < slack(bestTo[bj]!))) bestTo[bj] = e;
        }
      }
      blossomBestEdges[sub] = null;
      bestEdge[sub] = -1;
    }
    const best = Array.from(bestTo).filter((e) => e !== -1);
    blossomBestEdges[b] = best;
    bestEdge[b] = -1;
    for (const e of best) if (bestEdge[b] === -1 || slack(e) < slack(bestEdge[b]!)) bestEdge[b] = e;
  };

  const expandBlossom = (b: number, endStage: boolean): void => {
    const kids = children[b]!;
    const kidEnds = endps[b]!;
    for (const s of kids) {
      parent[s] = -1;
      if (s < n) inBlossom[s] = s;
      else if (endStage && dual[s] === 0) expandBlossom(s, endStage);
      else for (const leaf of leaves(s)) inBlossom[leaf] = s;
    }
    if (!endStage && label[b] === 2) {
      // Relabel the sub-blossoms on the even-length path from the entry child to the base.
      const entry = inBlossom[endpoint[labelEnd[b]! ^ 1]!]!;
      let j = kids.indexOf(entry);
      let step: number;
      let trick: number;
      if (j & 1) {
        j -= kids.length;
        step = 1;
        trick = 0;
      } else {
        step = -1;
        trick = 1;
      }
      const at = (i: number): number => (i < 0 ? i + kids.length : i);
      let p = labelEnd[b]!;
      while (j !== 0) {
        label[endpoint[p ^ 1]!] = 0;
        label[endpoint[kidEnds[at(j - trick)]! ^ trick ^ 1]!] = 0;
        assignLabel(endpoint[p ^ 1]!, 2, p);
        allowEdge[kidEnds[at(j - trick)]! >> 1] = 1;
        j += step;
        p = kidEnds[at(j - trick)]! ^ trick;
        allowEdge[p >> 1] = 1;
        j += step;
      }
      const bv = kids[at(j)]!;
      label[endpoint[p ^ 1]!] = label[bv] = 2;
      labelEnd[endpoint[p ^ 1]!] = labelEnd[bv] = p;
      bestEdge[bv] = -1;
      j += step;
      while (kids[at(j)] !== entry) {
        const sub = kids[at(j)]!;
        if (label[sub] === 1) {
          j += step;
          continue;
        }
        let reached = -1;
        for (const leaf of leaves(sub)) {
          if (label[leaf] !== 0) {
            reached = leaf;
            break;
          }
        }
        if (reached !== -1) {
          label[reached] = 0;
          label[endpoint[mate[base[sub]!]!]!] = 0;
          assignLabel(reached, 2, labelEnd[reached]!);
        }
        j += step;
      }
    }
    label[b] = labelEnd[b] = -1;
    children[b] = endps[b] = null;
    base[b] = -1;
    blossomBestEdges[b] = null;
    bestEdge[b] = -1;
    unused.push(b);
  };

  // Flips the alternating path inside blossom b from vertex v to its base; v becomes the base.
  const augmentBlossom = (b: number, v: number): void => {
    let t = v;
    while (parent[t] !== b) t = parent[t]!;
    if (t >= n) augmentBlossom(t, v);
    const kids = children[b]!;
    const kidEnds = endps[b]!;
    const i = kids.indexOf(t);
    let j = i;
    let step: number;
    let trick: number;
    if (i & 1) {
      j -= kids.length;
      step = 1;
      trick = 0;
    } else {
      step = -1;
      trick = 1;
    }
    const at = (x: number): number => (x < 0 ? x + kids.length : x);
    while (j !== 0) {
      j += step;
      let sub = kids[at(j)]!;
      const p = kidEnds[at(j - trick)]! ^ trick;
      if (sub >= n) augmentBlossom(sub, endpoint[p]!);
      j += step;
      sub = kids[at(j)]!;
      if (sub >= n) augmentBlossom(sub, endpoint[p ^ 1]!);
      mate[endpoint[p]!] = p ^ 1;
      mate[endpoint[p ^ 1]!] = p;
    }
    children[b] = [...kids.slice(i), ...kids.slice(0, i)];
    endps[b] = [...kidEnds.slice(i), ...kidEnds.slice(0, i)];
    base[b] = base[children[b]![0]!]!;
  };

  const augmentMatching = (k: number): void => {
    const v = endpoint[2 * k]!;
    const w = endpoint[2 * k + 1]!;
    for (const [start, remote] of [
      [v, 2 * k + 1],
      [w, 2 * k],
    ] as const) {
      let s = start;
      let p = remote;
      for (;;) {
        const bs = inBlossom[s]!;
        if (bs >= n) augmentBlossom(bs, s);
        mate[s] = p;
        if (labelEnd[bs] === -1) break;
        const t = endpoint[labelEnd[bs]!]!;
        const bt = inBlossom[t]!;
        s = endpoint[labelEnd[bt]!]!;
        const j = endpoint[labelEnd[bt]! ^ 1]!;
        if (bt >= n) augmentBlossom(bt, j);
        mate[j] = labelEnd[bt]!;
        p = labelEnd[bt]! ^ 1;
      }
    }
  };

  for (let stage = 0; stage < n; stage++) {
    label.fill(0);
    bestEdge.fill(-1);
    for (let b = n; b < 2 * n; b++) blossomBestEdges[b] = null;
    allowEdge.fill(0);
    queue = [];
    for (let v = 0; v < n; v++) if (mate[v] === -1 && label[inBlossom[v]!] === 0) assignLabel(v, 1, -1);

    let augmented = false;
    for (;;) {
      while (queue.length > 0 && !augmented) {
        const v = queue.pop()!;
        for (const p of neighbourEnds[v]!) {
          const k = p >> 1;
          const w = endpoint[p]!;
          if (inBlossom[v] === inBlossom[w]) continue;
          let kSlack = 0;
          if (!allowEdge[k]) {
            kSlack = slack(k);
            if (kSlack <= 0) allowEdge[k] = 1;
          }
          if (allowEdge[k]) {
            if (label[inBlossom[w]!] === 0) {
              assignLabel(w, 2, p ^ 1);
            } else if (label[inBlossom[w]!] === 1) {
              const found = scanBlossom(v, w);
              if (found >= 0) addBlossom(found, k);
              else {
                augmentMatching(k);
                augmented = true;
                break;
              }
            } else if (label[w] === 0) {
              // w sits unreached inside a T-blossom; remember how it is reached for relabelling.
              label[w] = 2;
              labelEnd[w] = p ^ 1;
            }
          } else if (label[inBlossom[w]!] === 1) {
            const b = inBlossom[v]!;
            if (bestEdge[b] === -1 || kSlack < slack(bestEdge[b]!)) bestEdge[b] = k;
          } else if (label[w] === 0) {
            if (bestEdge[w] === -1 || kSlack < slack(bestEdge[w]!)) bestEdge[w] = k;
          }
        }
      }
      if (augmented) break;

      // No augmenting path on tight edges: move the duals by the largest safe delta.
      let deltaType = -1;
      let delta = 0;
      let deltaEdge = -1;
      let deltaBlossom = -1;
      if (!maxCardinality) {
        deltaType = 1;
        delta = Number.POSITIVE_INFINITY;
        for (let v = 0; v < n; v++) delta = Math.min(delta, dual[v]!);
      }
      for (let v = 0; v < n; v++) {
        if (label[inBlossom[v]!] === 0 && bestEdge[v] !== -1) {
          const d = slack(bestEdge[v]!);
          if (deltaType === -1 || d < delta) {
            delta = d;
            deltaType = 2;
            deltaEdge = bestEdge[v]!;
          }
        }
      }
      for (let b = 0; b < 2 * n; b++) {
        if (parent[b] === -1 && label[b] === 1 && bestEdge[b] !== -1) {
          // Slack between two S-blossoms is even for integer weights, so halving stays exact.
          const d = slack(bestEdge[b]!) / 2;
          if (deltaType === -1 || d < delta) {
            delta = d;
            deltaType = 3;
            deltaEdge = bestEdge[b]!;
          }
        }
      }
      for (let b = n; b < 2 * n; b++) {
        if (base[b]! >= 0 && parent[b] === -1 && label[b] === 2 && (deltaType === -1 || dual[b]! < delta)) {
          delta = dual[b]!;
          deltaType = 4;
          deltaBlossom = b;
        }
      }
      if (deltaType === -1) {
        // Maximum cardinality reached with no further improvement.
        deltaType = 1;
        let minDual = Number.POSITIVE_INFINITY;
        for (let v = 0; v < n; v++) minDual = Math.min(minDual, dual[v]!);
        delta = Math.max(0, minDual);
      }
      for (let v = 0; v < n; v++) {
        const l = label[inBlossom[v]!];
        if (l === 1) dual[v] = dual[v]! - delta;
        else if (l === 2) dual[v] = dual[v]! + delta;
      }
      for (let b = n; b < 2 * n; b++) {
        if (base[b]! >= 0 && parent[b] === -1) {
          if (label[b] === 1) dual[b] = dual[b]! + delta;
          else if (label[b] === 2) dual[b] = dual[b]! - delta;
        }
      }
      if (deltaType === 1) break;
      if (deltaType === 2) {
        allowEdge[deltaEdge] = 1;
        let i = endpoint[2 * deltaEdge]!;
        if (label[inBlossom[i]!] === 0) i = endpoint[2 * deltaEdge + 1]!;
        queue.push(i);
      } else if (deltaType === 3) {
        allowEdge[deltaEdge] = 1;
        queue.push(endpoint[2 * deltaEdge]!);
      } else {
        expandBlossom(deltaBlossom, false);
      }
    }
    if (!augmented) break;
    for (let b = n; b < 2 * n; b++) {
      if (parent[b] === -1 && base[b]! >= 0 && label[b] === 1 && dual[b] === 0) expandBlossom(b, true);
    }
  }

  for (let v = 0; v < n; v++) if (mate[v]! >= 0) result[v] = endpoint[mate[v]!]!;
  return result;
}
