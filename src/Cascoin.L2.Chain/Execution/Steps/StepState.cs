using System.Buffers.Binary;
using System.Security.Cryptography;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Execution.Steps;

/// <summary>
/// The state between two steps of a block (doc/fraud-proofs.md): the state root after the steps so far
/// and the block context they built up. Its commitment is what a bisection game moves over: step 0's is
/// the block's parent root with an empty context, the last step's (after the fee split) is the block's
/// state root with an empty context.
/// </summary>
public readonly record struct StepState(Hash256 Root, StepContext Context)
{
    private static ReadOnlySpan<byte> Tag => "cascoin-l2-step-v1"u8;

    /// <summary>The post-commitment of a step whose transaction the block may not hold (the chain's validation refuses it): no honest claim equals it.</summary>
    public static Hash256 Invalid { get; } = new(SHA256.HashData("cascoin-l2-step-v1 invalid"u8));

    /// <summary>The state after a block's last step: its state root alone.</summary>
    public static StepState End(Hash256 root) => new(root, default);

    /// <summary>SHA-256(tag ‖ root ‖ gas used u64 ‖ fees i64 ‖ deposited i64 ‖ withdrawn i64), integers little-endian.</summary>
    public Hash256 Commitment
    {
        get
        {
            Span<byte> input = stackalloc byte[18 + 32 + 32];
            Tag.CopyTo(input);
            Root.WriteTo(input[18..]);
            BinaryPrimitives.WriteUInt64LittleEndian(input[50..], Context.GasUsed);
            BinaryPrimitives.WriteInt64LittleEndian(input[58..], Context.Fees.Sat);
            BinaryPrimitives.WriteInt64LittleEndian(input[66..], Context.Deposited.Sat);
            BinaryPrimitives.WriteInt64LittleEndian(input[74..], Context.Withdrawn.Sat);
            return new Hash256(SHA256.HashData(input));
        }
    }
}
