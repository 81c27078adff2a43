#include "lstm/fast_model.hpp"

namespace lstm {

FastRun run_fast(const Model& m, const ArchConfig& a, const ImageSet& images, size_t count) {
  FastRun r;
  r.results.reserve(count);
  for (size_t n = 0; n < count; ++n) r.results.push_back(infer(m, images.image(n)));
  r.schedule = schedule(a, count);
  r.mvm_beats = uint64_t(count) * a.T * a.blocks() * (a.w_beats() + a.u_beats());
  return r;
}

}  // namespace lstm
