namespace BackpropService.Engine;

/// <summary>An operand of a node being unrolled: its elements' scalar node ids (row-major) and its tensor shape.</summary>
internal readonly record struct UnrolledOperand(string[] Ids, Shape Shape);
