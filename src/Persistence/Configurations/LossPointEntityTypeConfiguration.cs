using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class LossPointEntityTypeConfiguration : IEntityTypeConfiguration<LossPoint>
{
    public void Configure(EntityTypeBuilder<LossPoint> builder)
    {
        builder.ToTable("LossPoints");
        // NOTE: the composite key is what makes "every epoch exactly once" a database fact, not a hope.
        builder.HasKey(p => new { p.JobId, p.Epoch });
        builder.HasOne<TrainingJob>().WithMany().HasForeignKey(p => p.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
