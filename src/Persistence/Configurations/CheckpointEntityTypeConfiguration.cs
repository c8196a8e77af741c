using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class CheckpointEntityTypeConfiguration : IEntityTypeConfiguration<Checkpoint>
{
    public void Configure(EntityTypeBuilder<Checkpoint> builder)
    {
        builder.ToTable("Checkpoints");
        builder.HasKey(c => c.JobId);
        builder.HasOne<TrainingJob>().WithOne().HasForeignKey<Checkpoint>(c => c.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
