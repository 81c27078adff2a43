// const_mul(x, k) = x * k for an elaboration-time constant k, built as the
// sum of x shifted by each set bit of k: adders, never a multiplier cell.
// Address arithmetic (KMUX's ROM address, EWU's bias address and row) then
// stays in LUTs and carry chains on any synthesis tool, the DSP slices are
// the arithmetic lanes' alone, and the resource model's DSP count holds
// exactly (docs/rtl.md, "Address arithmetic"). yosys synth_xilinx otherwise
// packs such a product into a DSP48E1 when its operands are wide enough.
// Included inside a module; 32-bit operands, the caller keeps the low bits.
function automatic [31:0] const_mul;
  input [31:0] x;
  input integer k;
  integer i;
  begin
    const_mul = 32'd0;
    for (i = 0; i < 31; i = i + 1)
      if (k[i]) const_mul = const_mul + (x << i);
  end
endfunction
