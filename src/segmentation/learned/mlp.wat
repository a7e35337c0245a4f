;; The pixel classifier's two layers for runs of pixels, four pixels per f32x4 (see mlp.ts).
;;
;; mlp(in, count, F, G, K, w1s, b1s, w2, b2, out): for pixels x = 0 … count−1 (count a multiple of 4)
;;   in:  F planes of `count` f32 (feature f of pixel x at in + 4·(f·count + x))
;;   G:   hidden units / 4 (the hidden layer is padded to a multiple of 4 with zero units)
;;   w1s: layer-1 weights pre-splatted: for group g, feature f, unit u of the group, the v128 at
;;        w1s + 16·(4·(g·F + f) + u) holds w1[f, 4g+u] in all four lanes
;;   b1s: b1[j] splatted, 16 bytes per unit;  w2: (4G)×K f32 (w2[j·K + k]);  b2: K f32
;;   out: K planes of `count` f32, the logits: b2[k] + Σ_j w2[j,k] · max(0, b1[j] + Σ_f w1[f,j] · in[f,x])
;; Four hidden units share each input load. IEEE f32 arithmetic in a fixed order (f ascending per unit;
;; logits accumulate units 4g … 4g+3 per group, groups ascending): the same bits on every machine.
(module
  (memory (export "memory") 16)
  (func (export "mlp")
    (param $in i32) (param $count i32) (param $F i32) (param $G i32) (param $K i32)
    (param $w1s i32) (param $b1s i32) (param $w2 i32) (param $b2 i32) (param $out i32)
    (local $stride i32) (local $x i32) (local $g i32) (local $f i32) (local $k i32)
    (local $p i32) (local $wp i32) (local $o i32) (local $xv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $w2p i32) (local $K4 i32)
    (local.set $stride (i32.shl (local.get $count) (i32.const 2)))
    (local.set $K4 (i32.shl (local.get $K) (i32.const 2)))
    (local.set $x (i32.const 0))
    (block $xdone
      (loop $xloop
        (br_if $xdone (i32.ge_u (local.get $x) (local.get $stride)))
        ;; logits ← b2
        (local.set $k (i32.const 0))
        (local.set $o (i32.add (local.get $out) (local.get $x)))
        (block $kd0 (loop $kl0
          (br_if $kd0 (i32.ge_u (local.get $k) (local.get $K)))
          (v128.store (local.get $o) (f32x4.splat (f32.load (i32.add (local.get $b2) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $o (i32.add (local.get $o) (local.get $stride)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl0)))
        (local.set $g (i32.const 0))
        (local.set $wp (local.get $w1s))
        (block $gdone
          (loop $gloop
            (br_if $gdone (i32.ge_u (local.get $g) (local.get $G)))
            (local.set $o (i32.add (local.get $b1s) (i32.shl (local.get $g) (i32.const 6))))
            (local.set $a0 (v128.load offset=0 (local.get $o)))
            (local.set $a1 (v128.load offset=16 (local.get $o)))
            (local.set $a2 (v128.load offset=32 (local.get $o)))
            (local.set $a3 (v128.load offset=48 (local.get $o)))
            (local.set $p (i32.add (local.get $in) (local.get $x)))
            (local.set $f (i32.const 0))
            (block $fdone
              (loop $floop
                (br_if $fdone (i32.ge_u (local.get $f) (local.get $F)))
                (local.set $xv (v128.load (local.get $p)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load offset=0 (local.get $wp)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load offset=16 (local.get $wp)))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load offset=32 (local.get $wp)))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load offset=48 (local.get $wp)))))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 64)))
                (local.set $f (i32.add (local.get $f) (i32.const 1)))
                (br $floop)))
            (local.set $a0 (f32x4.max (local.get $a0) (v128.const f32x4 0 0 0 0)))
            (local.set $a1 (f32x4.max (local.get $a1) (v128.const f32x4 0 0 0 0)))
            (local.set $a2 (f32x4.max (local.get $a2) (v128.const f32x4 0 0 0 0)))
            (local.set $a3 (f32x4.max (local.get $a3) (v128.const f32x4 0 0 0 0)))
            ;; logits[k] += h0·w2[4g,k] + h1·w2[4g+1,k] + h2·w2[4g+2,k] + h3·w2[4g+3,k], added in that order
            (local.set $k (i32.const 0))
            (local.set $o (i32.add (local.get $out) (local.get $x)))
            (local.set $w2p (i32.add (local.get $w2) (i32.shl (i32.mul (local.get $g) (local.get $K)) (i32.const 4))))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
              (v128.store (local.get $o)
                (f32x4.add
                  (f32x4.add
                    (f32x4.add
                      (f32x4.add (v128.load (local.get $o))
                        (f32x4.mul (local.get $a0) (f32x4.splat (f32.load (local.get $w2p)))))
                      (f32x4.mul (local.get $a1) (f32x4.splat (f32.load (i32.add (local.get $w2p) (local.get $K4))))))
                    (f32x4.mul (local.get $a2) (f32x4.splat (f32.load (i32.add (local.get $w2p) (i32.shl (local.get $K4) (i32.const 1)))))))
                  (f32x4.mul (local.get $a3) (f32x4.splat (f32.load (i32.add (local.get $w2p) (i32.mul (local.get $K4) (i32.const 3))))))))
              (local.set $o (i32.add (local.get $o) (local.get $stride)))
              (local.set $w2p (i32.add (local.get $w2p) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $gloop)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $xloop)))))
