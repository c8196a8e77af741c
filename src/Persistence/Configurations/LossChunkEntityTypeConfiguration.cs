using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

/// <summary>
/// History as chunks: one row per flush (see <see cref="LossChunk"/>). A row per epoch cost ~5 µs to write, more
/// than an XOR epoch takes to train; a chunk per flush makes the history of a 100,000 epochs/s job nearly free.
/// </summary>
internal sealed class LossChunkEntityTypeConfiguration : IEntityTypeConfiguration<LossChunk>
{
    public void Configure(EntityTypeBuilder<LossChunk> builder)
    {
        builder.ToTable("LossChunks");
        // NOTE: chunks of one job never overlap: the writer appends after EpochsCompleted under the attempt token,
        // and a rewind trims before anything is appended again. The key orders a job's chunks for the range scan.
        builder.HasKey(c => new { c.JobId, c.FirstEpoch });
        builder.HasOne<TrainingJob>().WithMany().HasForeignKey(c => c.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
