using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class InitialWeightsEntityTypeConfiguration : IEntityTypeConfiguration<InitialWeights>
{
    public void Configure(EntityTypeBuilder<InitialWeights> builder)
    {
        builder.ToTable("InitialWeights");
        builder.HasKey(w => w.JobId);
        // Goes with the job that trains from it; the source job is not referenced (it may be deleted afterwards).
        builder.HasOne<TrainingJob>().WithOne().HasForeignKey<InitialWeights>(w => w.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
