import { Box, Chip, Fieldset, Group, Text } from '@mantine/core';

/**
 * One score, from `min` to `max`, as a row of radio chips under a legend: Tab reaches the group,
 * arrow keys and Space choose. The end labels say what the ends mean ("very dissatisfied" …).
 */
export function ScoreChoice({
  legend,
  name,
  min,
  max,
  value,
  onChange,
  lowLabel,
  highLabel,
}: {
  legend: string;
  name: string;
  min: number;
  max: number;
  value: number | null;
  onChange: (score: number) => void;
  lowLabel: string;
  highLabel: string;
}) {
  const scores = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return (
    <Fieldset legend={legend} variant="unstyled" data-score-choice={name}>
      {/* As wide as the chips, so the end labels sit under the first and the last. */}
      <Box w="fit-content" maw="100%">
        <Chip.Group
          multiple={false}
          value={value === null ? null : String(value)}
          onChange={(v) => onChange(Number(v))}
        >
          <Group gap={4} wrap="wrap" mt={4}>
            {scores.map((score) => (
              <Chip key={score} value={String(score)} name={name} size="sm" variant="outline" icon={null}>
                {score}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Group justify="space-between" gap="md" mt={4} wrap="nowrap" aria-hidden="true">
          <Text size="xs" c="dimmed">
            {min} = {lowLabel}
          </Text>
          <Text size="xs" c="dimmed">
            {max} = {highLabel}
          </Text>
        </Group>
      </Box>
    </Fieldset>
  );
}
