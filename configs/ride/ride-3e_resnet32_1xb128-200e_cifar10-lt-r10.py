# RIDE stage 1, 3 experts, imbalance factor 10 (otherwise as the IF100 config).
_base_ = './ride-3e_resnet32_1xb128-200e_cifar10-lt-r100.py'
imb_factor = 10
class_counts = [int(round(v)) if abs(v - round(v)) < 1e-9 else int(v)
                for v in [5000 * (1 / imb_factor)**(i / 9) for i in range(10)]]
train_dataloader = dict(dataset=dict(imb_factor=imb_factor))
val_evaluator = dict(class_counts=class_counts)
test_evaluator = val_evaluator
