#!/usr/bin/env bash
# bad_inputs.sh REPO OUT: writes the hostile inputs of docs/robustness.md into
# OUT (a ctest fixture, so the repository holds no corrupt files). Each model
# variant is a copy of weights/fmnist-lstm with one fault; its manifest
# checksum is updated so the loader reaches the fault rather than stopping at
# the checksum.
set -euo pipefail
repo=$1; out=$2
good=$repo/weights/fmnist-lstm
samples=$repo/weights/samples
rm -rf "$out"; mkdir -p "$out"
cd "$out"

# model NAME: a fresh copy of the good model in NAME/.
model() { cp -r "$good" "$1"; }
# fixsum DIR FILE: puts FILE's sha256 into DIR/manifest.json.
fixsum() {
  local sum; sum=$(sha256sum "$1/$2" | cut -d' ' -f1)
  sed -i -E "s/(\"$2\": *\")[0-9a-f]*\"/\1$sum\"/" "$1/manifest.json"
}
# setline DIR FILE N TEXT: replaces line N of DIR/FILE and fixes the checksum.
setline() { sed -i "$3s/.*/$4/" "$1/$2"; fixsum "$1" "$2"; }
# manifest_sub DIR SED: edits the manifest.
manifest_sub() { sed -i -E "$2" "$1/manifest.json"; }

# ---- model directories
mkdir model_empty_dir
model manifest_empty;        : > manifest_empty/manifest.json
model manifest_array;        echo '[1, 2]' > manifest_array/manifest.json
model manifest_unknown_key;  manifest_sub manifest_unknown_key 's/"version": 1,/"version": 1, "frobnicate": 3,/'
model manifest_duplicate_key; manifest_sub manifest_duplicate_key 's/"k": 4,/"k": 4, "k": 3,/'
model manifest_version3;     manifest_sub manifest_version3 's/"version": 1,/"version": 3,/'
model manifest_v2_int_H;     manifest_sub manifest_v2_int_H 's/"version": 1,/"version": 2,/'
model manifest_k_gt_c;       manifest_sub manifest_k_gt_c 's/"k": 4,/"k": 8,/'
model manifest_zero_dim;     manifest_sub manifest_zero_dim 's/"H": 28,/"H": 0,/'
model manifest_negative_dim; manifest_sub manifest_negative_dim 's/"T": 28,/"T": -28,/'
model manifest_string_dim;   manifest_sub manifest_string_dim 's/"I": 28,/"I": "28",/'
model manifest_missing_file; rm manifest_missing_file/W_g.coe
model manifest_path_name;    manifest_sub manifest_path_name 's/"README.md"/"..\/README.md"/'
model checksum;              echo >> checksum/b_o.mem
model mem_5_digits;          setline mem_5_digits b_i.mem 3 0bfc0
model mem_bad_hex;           setline mem_bad_hex b_i.mem 2 0bxg
model mem_short;             sed -i '$d' mem_short/b_f.mem; fixsum mem_short b_f.mem
model mem_long;              echo 0000 >> mem_long/b_f.mem; fixsum mem_long b_f.mem
model idx_out_of_group;      setline idx_out_of_group W_i.mem 1 7a
model idx_repeated;          setline idx_repeated W_i.mem 2 00
model idx_descending;        setline idx_descending W_i.mem 1 3a
model idx_high_bits;         setline idx_high_bits W_i.mem 1 80
model coe_differs;           sed -i '4s/^00,/01,/' coe_differs/W_i.coe; fixsum coe_differs W_i.coe
model coe_unclosed;          sed -i '$s/;$//' coe_unclosed/W_i.coe; fixsum coe_unclosed W_i.coe

# ---- IDX files (28x28 images, labels)
: > empty.idx
# The 16 sample images with the gzip stream cut in half.
head -c 3000 "$samples/fmnist-test-16-images-idx3-ubyte.gz" > truncated.gz
gzip -dc "$samples/fmnist-test-16-images-idx3-ubyte.gz" > images16.idx
# Garbage after a valid gzip header.
{ head -c 10 "$samples/fmnist-test-16-images-idx3-ubyte.gz"; printf 'not deflate data at all'; } > corrupt.gz
# count = 0x80000000: 2 GiB x 784 bytes promised by a 16-byte file.
printf '\x00\x00\x08\x03\x80\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x1c' > dim_2g.idx
printf '\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x1c' > dim_zero.idx
printf '\x00\x00\x08\x03\x00\x00\x00\x01\x00\x01\x00\x00\x00\x01\x00\x00' > dim_huge_image.idx
head -c 5000 images16.idx > pixels_truncated.idx
{ cat images16.idx; printf 'x'; } > trailing.idx
# 4x4 images: not what a 28x28 model expects.
{ printf '\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x04\x00\x00\x00\x04'; head -c 16 /dev/zero; } > images_4x4.idx
printf '\x00\x00\x08\x01\x00\x00\x00\x03\x00\x01\x02' > labels3.idx
{ printf '\x00\x00\x08\x01\x00\x00\x00\x10'; printf '\x0c'; head -c 15 /dev/zero; } > labels_bad_class.idx

# ---- architecture configs (the fmnist-lstm network: I=H=T=28, c=7, k=4)
net='"I": 28, "H": 28, "T": 28, "classes": 10, "c": 7, "k": 4'
: > arch_empty.json
echo "{$net, \"frobnicate\": 1}" > arch_unknown_key.json
echo "{$net, \"mvm_lanes\": 0}" > arch_zero.json
echo "{$net, \"mvm_lanes\": 112, \"mvm_lanes\": 56}" > arch_duplicate_key.json
echo "{$net, \"ewu_lanes\": -7}" > arch_negative.json
echo '{"I": 28, "H": 28, "T": 28, "classes": 10, "c": 7, "k": 8}' > arch_k_gt_c.json
echo "{$net, \"mvm_lanes\": 100}" > arch_mvm_lanes.json
echo "{$net, \"ewu_lanes\": 5}" > arch_ewu_lanes.json
echo "{$net, \"fc_lanes\": 6}" > arch_fc_lanes.json
echo "{$net, \"pixels_per_beat\": 5}" > arch_pixels.json
echo "{$net, \"clock_mhz\": 0}" > arch_clock.json
echo "{$net, \"spx_buffers\": 1}" > arch_spx_buffers.json
echo '{"I": 28, "H": 14, "T": 28, "classes": 10, "c": 7, "k": 4}' > arch_mismatch.json
echo '{"I": 28, "H": 28, "T": 28, "classes": 1000, "c": 7, "k": 4, "fc_lanes": 4}' > arch_fc_pace.json
echo "bad inputs written to $out"
