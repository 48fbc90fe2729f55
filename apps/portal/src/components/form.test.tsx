import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { ApiError } from '../api/errors';
import { Field, fieldErr, Select, SubmitButton } from './form';

describe('Field', () => {
  it('labels its input and describes it by its hint', () => {
    render(<Field label="Site name" required hint="As your team calls it." defaultValue="" />);
    const input = screen.getByLabelText(/Site name/);
    const hint = screen.getByText('As your team calls it.');
    expect(input.getAttribute('aria-describedby')).toBe(hint.id);
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows the error at the field in place of the hint, and marks the input invalid', () => {
    render(<Field label="Site name" hint="As your team calls it." error="Name it." defaultValue="" />);
    const input = screen.getByLabelText('Site name');
    const error = screen.getByText('Name it.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(error.id);
    expect(screen.queryByText('As your team calls it.')).toBeNull();
  });
});

describe('Select', () => {
  it('lists its options under its label and shows its error', () => {
    render(
      <Select
        label="Unit"
        defaultValue="MWh"
        options={[
          { value: 'kWh', label: 'kWh' },
          { value: 'MWh', label: 'MWh' },
        ]}
        error="Pick a unit of energy."
      />,
    );
    const select = screen.getByLabelText('Unit') as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['kWh', 'MWh']);
    expect(select.value).toBe('MWh');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Pick a unit of energy.').id).toBe(select.getAttribute('aria-describedby'));
  });
});

describe('SubmitButton', () => {
  it('is a submit button, disabled with its busy label while the form is sent', () => {
    const { rerender } = render(
      <SubmitButton busy={false} busyLabel="Saving…">
        Save
      </SubmitButton>,
    );
    const button = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(button.type).toBe('submit');
    expect(button.disabled).toBe(false);
    rerender(
      <SubmitButton busy busyLabel="Saving…">
        Save
      </SubmitButton>,
    );
    expect((screen.getByRole('button', { name: 'Saving…' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('is disabled when told so', () => {
    render(
      <SubmitButton busy={false} disabled>
        Send
      </SubmitButton>,
    );
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('fieldErr', () => {
  const error = new ApiError(400, {
    status: 400,
    errors: [
      { field: 'tariff.pricePerKwh', message: 'Must be positive.' },
      { field: 'name', message: 'Required.' },
    ],
  });

  it('gives the message the API put on a field, or on a field inside it', () => {
    expect(fieldErr(error, 'name')).toBe('Required.');
    expect(fieldErr(error, 'tariff')).toBe('Must be positive.');
    expect(fieldErr(error, 'country')).toBeUndefined();
  });

  it('gives nothing for an error that is not the API’s', () => {
    expect(fieldErr(new Error('offline'), 'name')).toBeUndefined();
  });
});
