# Hostile inputs (docs/robustness.md): one case per row of the table, each
# checking the exit code and the message. The inputs are written by
# bad_inputs.sh into the build tree (fixture cli_bad_inputs).
set(BAD ${CMAKE_CURRENT_BINARY_DIR}/bad)
set(IMG ${S}/fmnist-test-16-images-idx3-ubyte.gz)
set(LAB ${S}/fmnist-test-16-labels-idx1-ubyte.gz)
add_test(NAME cli.bad_inputs_setup COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/bad_inputs.sh ${PROJECT_SOURCE_DIR} ${BAD})
set_tests_properties(cli.bad_inputs_setup PROPERTIES LABELS unit FIXTURES_SETUP cli_bad_inputs)

# bad_case(NAME CODE REGEX command...): a cli_case that needs the bad inputs.
function(bad_case name code regex)
  cli_case(bad.${name} ${code} "${regex}" ${ARGN})
  set_tests_properties(cli.bad.${name} PROPERTIES FIXTURES_REQUIRED cli_bad_inputs)
endfunction()
# A model directory from bad/ through classify.
function(bad_model name regex)
  bad_case(${name} 1 "${regex}" ${SIM} classify -q --model ${BAD}/${name} --images ${IMG})
endfunction()
function(bad_images name regex)
  bad_case(${name} 1 "${regex}" ${SIM} classify -q --model ${W}/fmnist-lstm --images ${BAD}/${name})
endfunction()
function(bad_labels name regex)
  bad_case(${name} 1 "${regex}" ${SIM} classify -q --model ${W}/fmnist-lstm --images ${IMG} --labels ${BAD}/${name})
endfunction()
function(bad_arch name regex)
  bad_case(${name} 1 "${regex}" ${SIM} run -q --model ${W}/fmnist-lstm --images ${IMG} --count 1 --arch ${BAD}/${name}.json)
endfunction()

# ---- flags
cli_case(bad.missing_required 1 "--images is required" ${SIM} classify --model ${W}/fmnist-lstm)
cli_case(bad.unknown_subcommand 1 "unknown subcommand .frobnicate. \\(one of: classify, run" ${SIM} frobnicate)
cli_case(bad.count_negative 1 "--count" ${SIM} classify --model ${W}/fmnist-lstm --images ${IMG} --count -3)
cli_case(bad.level 1 "--level: bogus not in" ${SIM} run --model ${W}/fmnist-lstm --images ${IMG} --level bogus)
cli_case(bad.watchdog_zero 1 "--watchdog" ${SIM} run --model ${W}/fmnist-lstm --images ${IMG} --watchdog 0)
cli_case(bad.vcd_dir 1 "/no/such/dir/t.vcd: cannot write VCD: directory /no/such/dir does not exist"
  ${SIM} run -q --model ${W}/fmnist-lstm --images ${IMG} --count 1 --vcd /no/such/dir/t.vcd)
cli_case(bad.gtkw_dir 1 "/no/such/dir/t.gtkw: cannot write GTKWave file: directory /no/such/dir does not exist"
  ${SIM} run -q --model ${W}/fmnist-lstm --images ${IMG} --count 1 --gtkw /no/such/dir/t.gtkw)
cli_case(bad.run_json_dir 1 "/no/such/dir/r.json: cannot write JSON report: directory /no/such/dir does not exist"
  ${SIM} run -q --model ${W}/fmnist-lstm --images ${IMG} --count 1 --json /no/such/dir/r.json)
cli_case(bad.freeze_unknown 1 "freeze: unknown block 'nosuch'"
  ${SIM} run -q --model ${W}/fmnist-lstm --images ${IMG} --count 1 --freeze nosuch)

# ---- model directory
bad_model(model_empty_dir "model_empty_dir/manifest.json: cannot open file")
bad_model(manifest_empty "manifest_empty/manifest.json: invalid JSON: .*unexpected end of input")
bad_model(manifest_array "manifest_array/manifest.json: not a JSON object")
bad_model(manifest_unknown_key "manifest_unknown_key/manifest.json: unknown field 'frobnicate'")
bad_model(manifest_duplicate_key "manifest_duplicate_key/manifest.json: duplicate field 'k'")
bad_model(manifest_version3 "manifest_version3/manifest.json: unsupported 'version'")
bad_model(manifest_v2_int_H "manifest_v2_int_H/manifest.json: version 2: field 'H' must be a non-empty list")
bad_model(manifest_k_gt_c "manifest_k_gt_c/manifest.json: k = 8 must be in 1..c \\(c = 7\\)")
bad_model(manifest_zero_dim "manifest_zero_dim/manifest.json: field 'H' = 0 out of range 1..65536")
bad_model(manifest_negative_dim "manifest_negative_dim/manifest.json: field 'T' = -28 out of range 1..65536")
bad_model(manifest_string_dim "manifest_string_dim/manifest.json: field 'I' is not an integer")
bad_model(manifest_missing_file "manifest_missing_file/manifest.json: names missing file 'W_g.coe'")
bad_model(manifest_path_name "manifest_path_name/manifest.json: files: '../README.md' is not a plain file name")
bad_model(checksum "checksum/b_o.mem: checksum mismatch \\(manifest [0-9a-f]{64}, file [0-9a-f]{64}\\)")
bad_model(mem_5_digits "mem_5_digits/b_i.mem:3: expected 4 hex digits, got '0bfc0'")
bad_model(mem_bad_hex "mem_bad_hex/b_i.mem:2: bad hex digit 'x' in '0bxg'")
bad_model(mem_short "mem_short/b_f.mem: has 27 entries, expected 28")
bad_model(mem_long "mem_long/b_f.mem:29: extra entry: expected 28 entries")
bad_model(idx_out_of_group "idx_out_of_group/W_i.mem:1: idx 7 out of range 0..6")
bad_model(idx_repeated "idx_repeated/W_i.mem:2: repeated idx 0 in a group")
bad_model(idx_descending "idx_descending/W_i.mem:2: idx 2 not ascending in its group \\(after 3\\)")
bad_model(idx_high_bits "idx_high_bits/W_i.mem:1: value 80 has bits above the 3-bit idx field")
bad_model(coe_differs "coe_differs/W_i.coe:4: value 01 differs from the .mem file's entry 0 \\(0000\\)")
bad_model(coe_unclosed "coe_unclosed/W_i.coe: vector not closed by ';'")

# ---- IDX images and labels
bad_images(empty.idx "empty.idx: truncated header \\(magic\\)")
bad_images(truncated.gz "truncated.gz: corrupt or truncated gzip data: unexpected end of file")
bad_images(corrupt.gz "corrupt.gz: corrupt or truncated gzip data: invalid block type")
bad_images(dim_2g.idx "dim_2g.idx: header promises 1683627180032 bytes of pixels, more than this tool reads \\(2 GiB\\)")
bad_images(dim_zero.idx "dim_zero.idx: dimension 'rows' is 0")
bad_images(dim_huge_image.idx "dim_huge_image.idx: image size 65536x65536 is absurd")
bad_images(pixels_truncated.idx "pixels_truncated.idx: truncated: header promises 12544 bytes of pixels, file holds 4984")
bad_images(trailing.idx "trailing.idx: trailing data after the last image")
bad_images(images_4x4.idx "images_4x4.idx: images are 4x4, the model expects 28x28")
bad_labels(labels3.idx "labels3.idx: has 3 labels for 16 images")
bad_labels(labels_bad_class.idx "labels_bad_class.idx: label 12 of item 0 is not a class of the model \\(0..9\\)")
bad_case(labels_empty 1 "empty.idx: truncated header \\(magic\\)" ${SIM} classify -q --model ${W}/fmnist-lstm --images ${IMG} --labels ${BAD}/empty.idx)

# ---- architecture config
bad_arch(arch_empty "arch_empty.json: invalid JSON")
bad_arch(arch_unknown_key "arch_unknown_key.json: unknown field 'frobnicate'")
bad_arch(arch_duplicate_key "arch_duplicate_key.json: duplicate field 'mvm_lanes'")
bad_arch(arch_zero "arch_zero.json: mvm_lanes = 0 must be in 1..65536")
bad_arch(arch_negative "arch_negative.json: ewu_lanes = -7 must be in 1..65536")
bad_arch(arch_k_gt_c "arch_k_gt_c.json: k = 8 must be in 1..c \\(c = 7\\)")
bad_arch(arch_mvm_lanes "arch_mvm_lanes.json: mvm_lanes = 100 must be a multiple of 4 gates x k x mvm_groups = 16")
bad_arch(arch_ewu_lanes "arch_ewu_lanes.json: ewu_lanes = 5 must divide the 7 hidden rows per block")
bad_arch(arch_fc_lanes "arch_fc_lanes.json: fc_lanes = 6 must be a multiple of k = 4")
bad_arch(arch_pixels "arch_pixels.json: pixels_per_beat = 5 must divide I = 28")
bad_arch(arch_clock "arch_clock.json: clock_mhz must be in \\(0, 2000\\]")
bad_arch(arch_spx_buffers "arch_spx_buffers.json: spx_buffers = 1 must be at least 2")
bad_arch(arch_fc_pace "arch_fc_pace.json: fc_lanes = 4 is too few")
bad_arch(arch_mismatch "arch_mismatch.json: H = 14 in the config but 28 in the model")

# ---- simulations that cannot finish: exit 2 naming the stuck block
foreach(block spx controller kmux mvm ewu fifo_c sph fc argmax conv1d relu maxpool)
  set(model fmnist-lstm)
  if(block MATCHES "^(conv1d|relu|maxpool)$")
    set(model fmnist-cnn-lstm)  # the CNN front end
  endif()
  cli_case(stuck.${block} 2 "simulation failed: watchdog: no (handshake|progress) for [0-9]+ cycles.*stuck block: ${block} "
    ${SIM} run -q --model ${W}/${model} --images ${IMG} --count 2 --watchdog 500 --freeze ${block})
endforeach()
cli_case(stuck.cycle_limit 2 "simulation failed: cycle limit of 500 reached with 0 of 1 results"
  ${SIM} run -q --model ${W}/fmnist-lstm --images ${IMG} --count 1 --max-cycles 500)

# ---- the same through the Verilated RTL (rtlsim via run --level rtl)
bad_case(rtl_labels3 1 "labels3.idx: has 3 labels for 16 images"
  ${SIM} run -q --level rtl --model ${W}/fmnist-lstm --images ${IMG} --labels ${BAD}/labels3.idx)
bad_case(rtl_labels_bad_class 1 "labels_bad_class.idx: label 12 of item 0 is not a class of the model"
  ${SIM} run -q --level rtl --model ${W}/fmnist-lstm --images ${IMG} --labels ${BAD}/labels_bad_class.idx)
cli_case(bad.rtl_json_dir 1 "/no/such/dir/r.json: cannot write JSON report: directory /no/such/dir does not exist"
  ${SIM} run -q --level rtl --model ${W}/fmnist-lstm --images ${IMG} --count 1 --json /no/such/dir/r.json)
# 50 quiet cycles happen legitimately while the last image is computed: the
# watchdog must fire there and say so.
cli_case(stuck.rtl_watchdog 2 "rtlsim: watchdog: no pixel taken and no result for 50 cycles .*0 of 1 results.*the RTL top is stuck"
  ${SIM} run -q --level rtl --model ${W}/fmnist-lstm --images ${IMG} --count 1 --watchdog 50)
cli_case(stuck.rtl_cycle_limit 2 "rtlsim: cycle limit 500 reached with 0 of 1 results"
  ${SIM} run -q --level rtl --model ${W}/fmnist-lstm --images ${IMG} --count 1 --max-cycles 500)

# ---- output directories that cannot be created, absurd generated models
cli_case(bad.gen_model_out 1 "/dev/null/m: cannot write the model: Not a directory"
  ${SIM} gen-model --out /dev/null/m)
cli_case(bad.rtl_gen_out 1 "/dev/null/rom: cannot write the ROM images: Not a directory"
  ${SIM} rtl-gen --model ${W}/fmnist-lstm --out /dev/null/rom)
cli_case(bad.gen_model_huge 1 "gen-model: 34360393728 weight entries is too large"
  ${SIM} gen-model --I 65536 --H 65536 --c 1 --k 1 --out ${CMAKE_CURRENT_BINARY_DIR}/never_written)
