"""Issue 12: the entry kind ``dose_given`` (a dose ticked as given on the family diary)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0005_merge_i12'),
    ]

    operations = [
        migrations.AlterField(
            model_name='entry',
            name='kind',
            field=models.CharField(choices=[('diary', 'Diary entry'), ('recorded_day', 'Diary day observed'), ('treatment', 'Drug course'), ('diet', 'Diet period'), ('eeg', 'EEG'), ('growth', 'Growth measurement'), ('lab', 'Lab result'), ('vitals', 'Blood pressure'), ('adverse', 'Adverse event'), ('keto_plan', 'Keto plan'), ('monitoring', 'Monitoring check done'), ('dose_given', 'Dose given')], max_length=20),
        ),
    ]
