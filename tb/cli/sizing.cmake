# lstmsim size / sweep / sweep-merge (docs/sizing.md).
set(G ${CMAKE_CURRENT_SOURCE_DIR}/small_grid.json)
set(C ${PROJECT_SOURCE_DIR}/sc_model/configs)
cli_case(size_default 0 "inferences per second at 200.0 MHz: 223214"
  ${SIM} size --arch ${C}/default.json --device xc7z020 --model ${W}/fmnist-lstm)
cli_case(size_default_total 0 "^total +25 +1 +10 "
  ${SIM} size --arch ${C}/default.json --device xc7z020 --model ${W}/fmnist-lstm)
cli_case(size_no_model 0 "cycles per inference: 896 .*schedule formula" ${SIM} size --arch ${C}/default.json --device xc7z045)
cli_case(size_overflow 0 "DOES NOT FIT xc7z010: .*LUT [0-9]+ > 17600 \\(\\+[0-9]+"
  ${SIM} size --arch ${C}/wide.json --device xc7z010 --model ${W}/fmnist-lstm)
# Stacked: per-layer rows and bounds, FC once; a stacked model needs a stacked config.
cli_case(size_stacked 0 "layer 2: H 28, 64 MVM lanes, 1 groups, 4 EWU lanes: MAC bound 1568, recurrence bound 973"
  ${SIM} size --arch ${C}/stacked/fmnist-lstm2.json --device xc7z020 --model ${W}/fmnist-lstm2)
cli_case(size_stacked_fits 0 "fits xc7z020"
  ${SIM} size --arch ${C}/stacked/fmnist-lstm2.json --device xc7z020 --model ${W}/fmnist-lstm2)
cli_case(size_stacked_rows 0 "l2\\.kmux"
  ${SIM} size --arch ${C}/stacked/fmnist-lstm2.json --device xc7z020 --model ${W}/fmnist-lstm2)
cli_case(size_stacked_mismatch 1 "default.json: the config has 1 LSTM layers but the model 2"
  ${SIM} size --arch ${C}/default.json --device xc7z020 --model ${W}/fmnist-lstm2)
cli_case(run_stacked_bounds 0 "layer 2 \\(H 28, 64 MVM lanes, 4 EWU lanes\\): MAC 1568  input 196  recurrence [0-9]+"
  ${SIM} run -q --arch ${C}/stacked/fmnist-lstm2.json --model ${W}/fmnist-lstm2 --images ${S}/fmnist-test-16-images-idx3-ubyte.gz --count 4)
cli_case(size_bad_device 1 "--device xc9: unknown device \\(known: xc7z010"
  ${SIM} size --arch ${C}/default.json --device xc9)
cli_case(size_model_mismatch 1 "default.json: the model is kind cnn-lstm but the config has no CNN front end"
  ${SIM} size --arch ${C}/default.json --device xc7z020 --model ${W}/fmnist-cnn-lstm)
cli_case(sweep_bad_grid 1 "manifest.json: no axes|manifest.json: unknown key"
  ${SIM} sweep --model ${W}/fmnist-lstm --device xc7z020 --grid ${W}/fmnist-lstm/manifest.json --out /tmp/x.csv)
cli_case(sweep_missing_grid 1 "/no/grid.json: cannot open grid file"
  ${SIM} sweep --model ${W}/fmnist-lstm --device xc7z020 --grid /no/grid.json)
cli_case(sweep_bad_shard 1 "--shard 3/2: i out of range"
  ${SIM} sweep --model ${W}/fmnist-lstm --device xc7z020 --grid ${G} --shard 3/2)
cli_case(sweep_merge_missing 1 "/no/s1.csv: cannot open sweep CSV" ${SIM} sweep-merge --out /tmp/m.csv /no/s1.csv)
add_test(NAME cli.sweep_resume_and_shards COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/sweep_resume.sh ${SIM} ${W}/fmnist-lstm ${G})
set_tests_properties(cli.sweep_resume_and_shards PROPERTIES LABELS unit)
# Bad grids (docs/robustness.md, "Sweep grid").
foreach(case "duplicate_key|duplicate_key.json: duplicate field 'mvm_lanes'"
             "network_field|network_field.json: axes.H: network dimensions come from --model"
             "zero_value|zero_value.json: axes.mvm_lanes\\[0\\] = 0 must be in 1..65536"
             "repeated_value|repeated_value.json: axes.conv_lanes lists 84 twice")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 regex)
  cli_case(sweep_grid_${name} 1 "${regex}"
    ${SIM} sweep --model ${W}/fmnist-cnn-lstm --device xc7z020 --grid ${CMAKE_CURRENT_SOURCE_DIR}/bad_grids/${name}.json
    --out ${CMAKE_CURRENT_BINARY_DIR}/bad_grid_${name}.csv)
endforeach()
# Stacked sweeps: per-layer axes ("layers"), per-layer CSV columns, the front
# naming each layer's lanes; a per-layer grid the model cannot take is refused.
set(G2 ${C}/grids/fmnist-lstm2.json)
set(O ${CMAKE_CURRENT_BINARY_DIR})
cli_case(sweep_stacked_rows 0 "wrote .*sweep_stacked_rows.csv: 98 rows"
  ${SIM} sweep --model ${W}/fmnist-lstm2 --device xc7z020 --grid ${G2} --count 2 --out ${O}/sweep_stacked_rows.csv)
cli_case(sweep_stacked_front 0
  "^L64-64_G1-1_E1-1_F4_P1_NB2-2_200MHz +10 +12\\.5 +[0-9]+ +1568 +127551  l1 64x1 E1 \\(3/6/[0-9]+\\)  l2 64x1 E1"
  ${SIM} sweep --model ${W}/fmnist-lstm2 --device xc7z020 --grid ${G2} --count 2 --out ${O}/sweep_stacked_front.csv)
cli_case(sweep_stacked_csv 0 ",pareto,l1_mvm_lanes,l1_mvm_groups,l1_ewu_lanes,l1_spx_buffers,l1_dsp,l1_bram36,l1_lut,l1_ff,l2_mvm_lanes,"
  bash -c "$0 sweep --model $1 --device xc7z020 --grid $2 --count 2 --out $3 >/dev/null && head -1 $3"
  ${SIM} ${W}/fmnist-lstm2 ${G2} ${O}/sweep_stacked_csv.csv)
cli_case(sweep_stacked_one_layer_model 1
  "fmnist-lstm2\\.json: \"layers\" gives axes for 2 LSTM layers but the model has 1; for a one-layer model"
  ${SIM} sweep --model ${W}/fmnist-lstm --device xc7z020 --grid ${G2} --out ${O}/sweep_stacked_one_layer.csv)
file(WRITE ${O}/bad_layer_grid.json "{\"layers\": [{\"mvm_lanes\": [64]}, {\"mvm_lanes\": [64], \"fc_lanes\": [4, 8]}]}\n")
cli_case(sweep_stacked_bad_layer_field 1 "bad_layer_grid\\.json: layers\\[1\\]\\.fc_lanes: shared by all layers"
  ${SIM} sweep --model ${W}/fmnist-lstm2 --device xc7z020 --grid ${O}/bad_layer_grid.json --out ${O}/bad_layer_grid.csv)
add_test(NAME cli.sweep_resume_and_shards_stacked
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/sweep_resume.sh ${SIM} ${W}/fmnist-lstm2 ${G2})
set_tests_properties(cli.sweep_resume_and_shards_stacked PROPERTIES LABELS unit)
