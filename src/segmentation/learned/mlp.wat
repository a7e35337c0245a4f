;; The pixel classifier's two layers for runs of pixels, four pixels per f32x4 lane group (see mlp.ts).
;;
;; mlp(in, count, F, H, K, w1, b1, w2, b2, out): for pixels x = 0 … count−1 (count a multiple of 4)
;;   in:  F planes of `count` f32 (feature f of pixel x at in + 4·(f·count + x))
;;   w1:  F×H f32 (w1[f·H + j]), b1: H f32, w2: H×K f32 (w2[j·K + k]), b2: K f32
;;   out: K planes of `count` f32, the logits: b2[k] + Σ_j w2[j,k] · max(0, b1[j] + Σ_f w1[f,j] · in[f,x])
;; IEEE f32 arithmetic, sums in the order written (f ascending, then j ascending): the same bits on
;; every machine.
(module
  (memory (export "memory") 16)
  (func (export "mlp")
    (param $in i32) (param $count i32) (param $F i32) (param $H i32) (param $K i32)
    (param $w1 i32) (param $b1 i32) (param $w2 i32) (param $b2 i32) (param $out i32)
    (local $stride i32) (local $x i32) (local $j i32) (local $f i32) (local $k i32)
    (local $p i32) (local $wp i32) (local $o i32) (local $acc v128) (local $h v128) (local $hstride i32)
    (local.set $stride (i32.shl (local.get $count) (i32.const 2)))
    (local.set $hstride (i32.shl (local.get $H) (i32.const 2)))
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
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jloop
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $H)))
            (local.set $acc (f32x4.splat (f32.load (i32.add (local.get $b1) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $p (i32.add (local.get $in) (local.get $x)))
            (local.set $wp (i32.add (local.get $w1) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $f (i32.const 0))
            (block $fdone
              (loop $floop
                (br_if $fdone (i32.ge_u (local.get $f) (local.get $F)))
                (local.set $acc (f32x4.add (local.get $acc)
                  (f32x4.mul (v128.load (local.get $p)) (f32x4.splat (f32.load (local.get $wp))))))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $wp (i32.add (local.get $wp) (local.get $hstride)))
                (local.set $f (i32.add (local.get $f) (i32.const 1)))
                (br $floop)))
            (local.set $h (f32x4.max (local.get $acc) (v128.const f32x4 0 0 0 0)))
            (local.set $k (i32.const 0))
            (local.set $o (i32.add (local.get $out) (local.get $x)))
            (local.set $wp (i32.add (local.get $w2) (i32.shl (i32.mul (local.get $j) (local.get $K)) (i32.const 2))))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
              (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o))
                (f32x4.mul (local.get $h) (f32x4.splat (f32.load (local.get $wp))))))
              (local.set $o (i32.add (local.get $o) (local.get $stride)))
              (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jloop)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $xloop)))))
