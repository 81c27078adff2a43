// The block cosims of one sampled config (docs/rtl.md, "Sampled
// configs"): every block's own test bench, unchanged, against one Verilated
// model that holds every block of the config (tb/cosim/sampled_wrapper.py
// writes it; COSIM_BLOCK picks a block's ports in it). COSIM_WITH_<block>
// says which blocks the config has (the CNN front end or S-P-X).
#include RTL_PORTS_HEADER
#include "cosim.hpp"

#define COSIM_BLOCK spx
#ifdef COSIM_WITH_spx
#include "spx_cosim.cpp"
#endif
#undef COSIM_BLOCK
#define COSIM_BLOCK conv1d
#ifdef COSIM_WITH_conv1d
#include "conv1d_cosim.cpp"
#endif
#undef COSIM_BLOCK
#define COSIM_BLOCK relu
#ifdef COSIM_WITH_relu
#include "relu_cosim.cpp"
#endif
#undef COSIM_BLOCK
#define COSIM_BLOCK maxpool
#ifdef COSIM_WITH_maxpool
#include "maxpool_cosim.cpp"
#endif
#undef COSIM_BLOCK
#define COSIM_BLOCK controller
#include "controller_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK kmux
#include "kmux_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK mvm
#include "mvm_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK ewu
#include "ewu_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK fifo_c
#include "fifo_c_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK sph
#include "sph_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK wmem
#include "wmem_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK fc
#include "fc_cosim.cpp"
#undef COSIM_BLOCK
#define COSIM_BLOCK argmax
#include "argmax_cosim.cpp"
#undef COSIM_BLOCK
