import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { canWrite, useOrg } from '../../components/Layout';
import { ErrorBox, Loading } from '../../components/ui';
import { ActionForm, Field, fieldErr, Select } from '../../components/form';
import { num } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery, type QueryState } from '../../lib/api-query';
import { num0 } from './number-input';

type SettingsBody = components['schemas']['SiteAnalysisSettingsDto'];
type BuildingType = NonNullable<SettingsBody['buildingType']>;

/** What GET/PUT …/analysis-settings answer (the document declares no response schema). */
interface AnalysisSettings {
  siteId: string;
  buildingType: BuildingType | null;
  roofAreaM2: number | null;
  updatedAt?: string | null;
}

/** Every building type the API accepts, in its order; a type added there fails the typecheck here until named. */
const BUILDING_TYPE_LABELS: Record<BuildingType, string> = {
  office: 'Office',
  school: 'School',
  university: 'University',
  dormitory: 'Dormitory',
  retail: 'Retail',
  laboratory: 'Laboratory',
  healthcare: 'Healthcare',
  lodging: 'Hotel / lodging',
  public_services: 'Public services',
  entertainment: 'Entertainment',
  warehouse: 'Warehouse',
  other: 'Other',
};
const BUILDING_TYPE_OPTIONS = [
  { value: '', label: 'Not set' },
  ...Object.entries(BUILDING_TYPE_LABELS).map(([value, label]) => ({ value, label })),
];

/**
 * The site's analysis settings (building type, usable roof area) the savings analysers use: the type
 * picks the always-on (night/day) benchmark and the peer benchmarks, the roof area limits the PV size.
 * Viewers see them; writers edit them (an empty field clears the setting).
 */
export function AnalysisSettingsForm({ siteId }: { siteId: string }) {
  const { orgId, role } = useOrg();
  const query = useApiQuery('/api/v1/orgs/{orgId}/sites/{siteId}/analysis-settings', {
    path: { orgId, siteId },
  });
  const settings = query as QueryState<AnalysisSettings>;
  const [f, setF] = useState({ buildingType: '', roofAreaM2: '' });
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data)
      setF({
        buildingType: settings.data.buildingType ?? '',
        roofAreaM2: settings.data.roofAreaM2 === null ? '' : String(settings.data.roofAreaM2),
      });
  }, [settings.data]);
  const roof = num0(f.roofAreaM2);
  // not sent as NaN (JSON null would clear the setting): said at the field instead
  const roofNotANumber = roof !== undefined && !Number.isFinite(roof);
  const save = useAction(async () => {
    setSaved(false);
    const body: SettingsBody = {
      buildingType: f.buildingType === '' ? null : (f.buildingType as BuildingType),
      roofAreaM2: roof ?? null,
    };
    const next = (await api.put('/api/v1/orgs/{orgId}/sites/{siteId}/analysis-settings', {
      path: { orgId, siteId },
      body,
    })) as AnalysisSettings;
    settings.setData(next);
    setSaved(true);
  });
  const err = (k: string) => fieldErr(save.error, k);
  if (settings.loading && !settings.data) return <Loading what="Loading the analysis settings" />;
  if (!settings.data) return <ErrorBox error={settings.error} onRetry={settings.reload} />;
  const s = settings.data;
  if (!canWrite(role))
    return (
      <dl className="kv">
        <dt>Building type</dt>
        <dd>{s.buildingType ? BUILDING_TYPE_LABELS[s.buildingType] : 'not set'}</dd>
        <dt>Usable roof area</dt>
        <dd>{s.roofAreaM2 !== null ? `${num(s.roofAreaM2)} m²` : 'not set'}</dd>
      </dl>
    );
  return (
    <ActionForm
      action={save}
      valid={!roofNotANumber}
      label="Analysis settings"
      errorTitle="The settings were not saved"
      busyLabel="Saving…"
      submit="Save settings"
      afterError={
        saved ? (
          <p className="notice" role="status">
            Saved. The next analysis (“Look for savings”) uses them.
          </p>
        ) : null
      }
    >
      <Select
        label="Building type"
        value={f.buildingType}
        options={BUILDING_TYPE_OPTIONS}
        onChange={(e) => {
          setSaved(false);
          setF({ ...f, buildingType: e.target.value });
        }}
        error={err('buildingType')}
        hint="Picks the always-on load benchmark and the peer comparison; not set = a generic building."
      />
      <Field
        label="Usable roof area (m²)"
        inputMode="decimal"
        value={f.roofAreaM2}
        onChange={(e) => {
          setSaved(false);
          setF({ ...f, roofAreaM2: e.target.value });
        }}
        error={roofNotANumber ? 'Enter a number of m², e.g. 250' : err('roofAreaM2')}
        hint="Limits the solar PV size (6 m² per kWp); empty = 0.3 × the floor area is assumed."
      />
    </ActionForm>
  );
}
